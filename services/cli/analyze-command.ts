/**
 * `osdc-rca analyze <log-file> [--json]`: one log, one analysis, printed as it would appear inline in the job log.
 * Bedrock answers when AWS credentials and `OSDC_RCA_MODEL_ID` are configured; otherwise the offline rules analyst,
 * and the output says so.
 */
import path from 'node:path';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { Command } from 'commander';
import { selectContext } from '../../shared/context/context-selection';
import type { SelectedContext } from '../../shared/context/types';
import { type Analysis, type Analyst, toAnalysisRecord } from '../../shared/contract/analysis';
import { DEFAULT_FALLBACK_MODEL_ID, PROMPT_VERSION } from '../../shared/contract/constants';
import type { CaptureSnapshot } from '../../shared/log/types';
import { renderInline } from '../../shared/render/render-inline';
import { sanitizeAnalysis } from '../../shared/render/sanitize-analysis';
import { computeSignature } from '../../shared/signature/compute-signature';
import { analyzeWithRules } from '../../shared/signature/rules-analyst';
import type { FailureSignature } from '../../shared/signature/types';
import { analyzeWithBedrock } from '../analyzer/bedrock-analyst';
import { ModelAnalysisError } from '../analyzer/errors';
import { buildUserPrompt } from '../analyzer/prompt';
import { budgetBytesOption } from './budget-bytes-option';
import { captureLogFile } from './capture-log-file';
import { resolveBedrockModel } from './resolve-bedrock-model';

export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .description('analyse one failed step log and print the analysis as the job log would show it')
    .argument('<log-file>', 'the step log')
    .option('--json', 'print the analysis record, signature and context ranges as JSON')
    .addOption(budgetBytesOption('context budget for the model in UTF-8 bytes'))
    .action(async (file: string, options: { json?: boolean; budgetBytes: number }) => {
      const snapshot = await captureLogFile(file);
      const context = selectContext(snapshot, { budgetBytes: options.budgetBytes });
      const signature = computeSignature(snapshot);
      const modelId = await resolveBedrockModel(process.env);
      const { analysis, analyst } = await analyze({ file, snapshot, context, signature, modelId });
      const record = toAnalysisRecord({
        analysis,
        analyst,
        signature,
        at: new Date(),
        promptVersion: PROMPT_VERSION,
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ ...record, contextRanges: context.ranges }, null, 2)}\n`);
        return;
      }
      process.stdout.write(renderInline(record));
    });
}

async function analyze(input: {
  file: string;
  snapshot: CaptureSnapshot;
  context: SelectedContext;
  signature: FailureSignature;
  modelId: string | undefined;
}): Promise<{ analysis: Analysis; analyst: Analyst }> {
  const { context, signature } = input;
  let reason = 'no AWS credentials or OSDC_RCA_MODEL_ID';
  if (input.modelId) {
    const client = new BedrockRuntimeClient({ maxAttempts: 1 });
    try {
      const answer = await analyzeWithBedrock(
        {
          client,
          modelId: input.modelId,
          fallbackModelId: process.env.OSDC_RCA_FALLBACK_MODEL_ID?.trim() || DEFAULT_FALLBACK_MODEL_ID,
          throttleRetries: 3,
          backoffBaseMs: 500,
          timeoutMs: 90_000,
          maxOutputTokens: 2048,
          onUsage: () => {},
        },
        buildUserPrompt({
          report: {
            repo: 'local/log',
            job: path.basename(input.file),
            workflow: undefined,
            event: undefined,
            exitCode: 1,
            log: { totalLines: input.snapshot.totalLines },
          },
          context,
          signature,
        }),
      );
      return {
        analysis: sanitizeAnalysis(answer.analysis, { contextLines: context.lines }),
        analyst: { kind: 'model', modelId: answer.modelId },
      };
    } catch (error) {
      if (!(error instanceof ModelAnalysisError)) throw error;
      reason = `the model failed: ${error.message}`;
    } finally {
      client.destroy();
    }
  }
  return {
    analysis: sanitizeAnalysis(analyzeWithRules(signature, { reason }), {
      contextLines: [...context.lines, ...signature.keyLines],
    }),
    analyst: { kind: 'rules', reason },
  };
}
