/**
 * From a verified report to a sanitised analysis record: context and signature from the shared core, the signature
 * cache with its single-flight lease (strong signatures only, scoped by trust), then Bedrock within the budgets or the
 * rules analyst. The record says where it was made (its origin), so a reused answer can say where it came from.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { selectContext } from '../../shared/context/context-selection';
import type { ContextLine, SelectedContext } from '../../shared/context/types';
import {
  type Analysis,
  type AnalysisRecord,
  type Analyst,
  toAnalysisRecord,
} from '../../shared/contract/analysis';
import type { AnalysisOrigin } from '../../shared/contract/analysis-origin';
import { PROMPT_VERSION } from '../../shared/contract/constants';
import type { FailureReport } from '../../shared/contract/failure-report';
import { reuseScopesOf, trustScopeOf } from '../../shared/contract/trust-scope';
import type { CaptureSnapshot } from '../../shared/log/types';
import { sanitizeAnalysis } from '../../shared/render/sanitize-analysis';
import { computeSignature } from '../../shared/signature/compute-signature';
import { analyzeWithRules } from '../../shared/signature/rules-analyst';
import type { FailureSignature } from '../../shared/signature/types';
import type { AnalysisCache } from './analysis-cache';
import { analyzeWithBedrock } from './bedrock-analyst';
import type { BudgetLedger } from './budget-ledger';
import type { AnalyzerDeps } from './create-analyzer-deps';
import { ModelAnalysisError } from './errors';
import { estimateCostMicroUsd } from './model-prices';
import { buildUserPrompt } from './prompt';
import type { SpendCaps } from './spend-caps';
import type { VerifiedJob } from './verified-job';

export interface ProducedAnalysis {
  readonly record: AnalysisRecord;
  readonly fromCache: boolean;
}

export interface ProduceAnalysisContext {
  readonly deps: AnalyzerDeps;
  readonly cache: AnalysisCache;
  readonly budget: BudgetLedger;
  /** Checked before the budgets, with the report's digest so that a redelivery is not counted twice. */
  readonly caps: SpendCaps;
  readonly reportDigest: string;
  /** `<jobId>/<step>`, the job step the report is bound to: who holds a signature's lease, not a sender's id. */
  readonly boundTo: string;
  readonly logger: Logger;
  /**
   * Epoch ms by which the model must have answered (the invocation's time less the publishing reserve), asked for
   * right before the call, when the invocation's remaining time is known best.
   */
  readonly modelDeadline?: (() => number | undefined) | undefined;
}

/**
 * Throws LeaseHeldError while another report analyses the same strong signature in a scope this job reuses from.
 * `job` is what GitHub confirmed: it alone decides the trust scope.
 */
export async function produceAnalysis(
  ctx: ProduceAnalysisContext,
  job: VerifiedJob,
  report: FailureReport,
  snapshot: CaptureSnapshot,
): Promise<ProducedAnalysis> {
  const { deps } = ctx;
  const context = selectContext(snapshot, { budgetBytes: deps.config.contextBudgetBytes });
  const signature = computeSignature(snapshot);
  ctx.logger.appendKeys({
    signature: signature.signature,
    strength: signature.strength,
    rule: signature.rule,
  });

  const shared = signature.strength === 'strong';
  const scope = trustScopeOf(job);
  if (shared) {
    const scopes = { own: scope, reuse: reuseScopesOf(job) };
    const claim = await ctx.cache.claim(job.repo, signature.signature, scopes, ctx.boundTo);
    if (claim.kind === 'hit') {
      deps.metrics.addMetric('CacheHits', MetricUnit.Count, 1);
      return { record: claim.record, fromCache: true };
    }
  }
  deps.metrics.addMetric('CacheMisses', MetricUnit.Count, 1);

  const { analysis, analyst } = await runAnalyst(ctx, job, report, context, signature);
  const record = toAnalysisRecord({
    analysis,
    analyst,
    signature,
    at: deps.now(),
    promptVersion: PROMPT_VERSION,
    origin: originOf(job, scope),
  });
  if (shared) {
    const fullLife = analyst.kind === 'model' || deps.config.analyst === 'rules';
    const ttl = fullLife ? deps.config.cacheTtlDays * 86_400 : deps.tuning.rulesFallbackTtlSeconds;
    await ctx.cache.store(job.repo, signature.signature, scope, record, ttl);
  }
  return { record, fromCache: false };
}

function originOf(job: VerifiedJob, scope: string): AnalysisOrigin {
  return {
    repo: job.repo,
    scope,
    trusted: job.trusted,
    ref: job.ref,
    ...(job.prNumber === undefined ? {} : { prNumber: job.prNumber }),
    headSha: job.headSha,
    jobUrl: job.jobUrl,
  };
}

async function runAnalyst(
  ctx: ProduceAnalysisContext,
  job: VerifiedJob,
  report: FailureReport,
  context: SelectedContext,
  signature: FailureSignature,
): Promise<{ analysis: Analysis; analyst: Analyst }> {
  const { deps } = ctx;
  let reason = 'the analyzer is configured for the offline rules analyst';
  if (deps.config.analyst === 'bedrock' && deps.bedrock) {
    const capped = await ctx.caps.reserve(ctx.reportDigest, job);
    const exhausted = capped ?? (await ctx.budget.exhaustedBudget(job.repo));
    if (capped) {
      deps.metrics.addMetric('SpendCapped', MetricUnit.Count, 1);
      reason = capped;
    } else if (exhausted) {
      deps.metrics.addMetric('BudgetExhausted', MetricUnit.Count, 1);
      reason = exhausted;
    } else {
      try {
        const answer = await analyzeWithBedrock(
          {
            client: deps.bedrock,
            modelId: deps.config.modelId,
            fallbackModelId: deps.config.fallbackModelId,
            throttleRetries: deps.tuning.throttleRetries,
            backoffBaseMs: deps.tuning.backoffBaseMs,
            timeoutMs: deps.tuning.modelTimeoutMs,
            deadline: ctx.modelDeadline?.(),
            maxOutputTokens: deps.tuning.maxOutputTokens,
            onUsage: async (modelId, usage) => {
              const cost = estimateCostMicroUsd(modelId, usage, deps.tuning.modelPrices);
              deps.metrics.addMetric('ModelCalls', MetricUnit.Count, 1);
              deps.metrics.addMetric('InputTokens', MetricUnit.Count, usage.inputTokens);
              deps.metrics.addMetric('OutputTokens', MetricUnit.Count, usage.outputTokens);
              deps.metrics.addMetric('EstimatedCostMicroUsd', MetricUnit.Count, cost);
              // The answer is paid for either way; losing it to a failed charge would pay twice on redelivery.
              await ctx.budget.charge(job.repo, cost).catch((error: unknown) => {
                ctx.logger.warn('could not charge the model budget', { error: String(error) });
              });
            },
          },
          buildUserPrompt({ report, context, signature }),
        );
        return {
          analysis: sanitizeAnalysis(answer.analysis, { contextLines: context.lines, repo: job.repo }),
          analyst: { kind: 'model', modelId: answer.modelId },
        };
      } catch (error) {
        if (!(error instanceof ModelAnalysisError)) throw error;
        deps.metrics.addMetric('ModelFailures', MetricUnit.Count, 1);
        ctx.logger.warn('model analysis failed, using the rules analyst', {
          kind: error.kind,
          error: error.message,
        });
        reason = modelFailureReason(error);
      }
    }
  }
  // Key lines are evidence too, even when the context budget left them out.
  const seen: ContextLine[] = [...context.lines, ...signature.keyLines];
  return {
    analysis: sanitizeAnalysis(analyzeWithRules(signature, { reason }), {
      contextLines: seen,
      repo: job.repo,
    }),
    analyst: { kind: 'rules', reason },
  };
}

function modelFailureReason(error: ModelAnalysisError): string {
  switch (error.kind) {
    case 'throttled':
      return 'the model was throttled';
    case 'timeout':
      return 'the model did not answer in time';
    case 'invalid-output':
      return 'the model gave no usable answer';
    default:
      return 'the model call failed';
  }
}
