/** `osdc-rca start`: the whole pipeline on this machine (see services/local/local-pipeline.ts). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, InvalidArgumentError } from 'commander';
import { runLocalPipeline } from '../local/pipeline/local-pipeline';
import { findSampleLogs, type SampleSource, sharedDataIsPresent } from '../local/pipeline/replay-plan';
import { resolveBedrockModel } from './resolve-bedrock-model';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError('must be a port number from 0 to 65535');
  }
  return port;
}

function parseTimeScale(value: string): number {
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1) {
    throw new InvalidArgumentError('must be a number above 0 and at most 1');
  }
  return scale;
}

function parseSamples(value: string): SampleSource {
  if (value !== 'shared-data' && value !== 'examples') {
    throw new InvalidArgumentError("must be 'shared-data' or 'examples'");
  }
  return value;
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'run the whole pipeline locally: stand-ins, analyzer, dashboard, and a replay of failing logs',
    )
    .option('--once', 'process the replay, print a summary and exit')
    .option('--fresh', 'forget the state kept in .osdc-rca/ from earlier runs')
    .option(
      '--port <port>',
      'dashboard port on 127.0.0.1',
      parsePort,
      Number(process.env.OSDC_RCA_PORT ?? 8787),
    )
    .option(
      '--samples <source>',
      "logs to replay: 'shared-data' (../shared/data, the default when present) or 'examples'",
      parseSamples,
    )
    .option('--state-dir <dir>', 'where local state persists', path.join(repoRoot, '.osdc-rca'))
    .option(
      '--time-scale <factor>',
      "shortens the replay's production timing (model latency, pauses, the inline wait) for tests; 1 is production",
      parseTimeScale,
      1,
    )
    .action(
      async (options: {
        once?: boolean;
        fresh?: boolean;
        port: number;
        samples?: SampleSource;
        stateDir: string;
        timeScale: number;
      }) => {
        const source = options.samples ?? (sharedDataIsPresent(repoRoot) ? 'shared-data' : 'examples');
        if (source === 'shared-data' && !sharedDataIsPresent(repoRoot)) {
          throw new InvalidArgumentError('--samples shared-data: ../shared/data is not there');
        }
        // EMF metric lines are for CloudWatch; locally they would bury the output.
        process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
        const bedrockModelId = await resolveBedrockModel(process.env);
        const stop = new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
        await runLocalPipeline({
          repoRoot,
          stateDir: path.resolve(options.stateDir),
          fresh: Boolean(options.fresh),
          once: Boolean(options.once),
          port: options.port,
          samples: findSampleLogs(source, repoRoot),
          bedrockModelId,
          timeScale: options.timeScale,
          out: process.stdout,
          untilStopped: stop,
        });
      },
    );
}
