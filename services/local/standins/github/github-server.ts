/**
 * Starts the local GitHub REST API stand-in on 127.0.0.1: seed runs and jobs, point Octokit's `baseUrl` at `url`,
 * then assert on the check runs, requests and schema violations it recorded.
 *
 * @example
 * const github = await startLocalGitHub();
 * github.addRun({ repo: 'pytorch/pytorch', runId: 7, headSha, jobs: [{ id: 70, name: 'build', runnerName: 'r-1' }] });
 * const octokit = new Octokit({ baseUrl: github.url, auth: 'test-token' });
 * // … run the code under test …
 * expect(github.schemaViolations()).toEqual([]);
 * await github.stop();
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createGitHubApp } from './github-app';
import { GitHubFaults } from './github-faults';
import { loadGitHubSchemas } from './github-schemas';
import { GitHubStore } from './github-store';
import type {
  GitHubFault,
  RecordedCheckRun,
  RecordedRequest,
  SchemaViolation,
  SeedRun,
} from './github-types';

export interface LocalGitHub {
  /** Base URL for Octokit, e.g. `http://127.0.0.1:53121`. */
  readonly url: string;
  addRun(run: SeedRun): void;
  /** Check runs in creation order, each in its final state after every update. */
  checkRuns(filter?: { readonly repo?: string; readonly headSha?: string }): RecordedCheckRun[];
  requests(): RecordedRequest[];
  /** Request bodies GitHub would have rejected: must stay empty in tests of our code. */
  schemaViolations(): SchemaViolation[];
  failNext(fault: GitHubFault): void;
  /** Forgets requests, violations, faults and check runs; seeded runs stay. */
  reset(): void;
  stop(): Promise<void>;
}

export interface StartLocalGitHubOptions {
  readonly port?: number;
  /** Installation of the GitHub App on seeded repositories unless a run says otherwise. */
  readonly installationId?: number;
}

export async function startLocalGitHub(options: StartLocalGitHubOptions = {}): Promise<LocalGitHub> {
  const store = new GitHubStore(options.installationId ?? 1);
  const faults = new GitHubFaults();
  const requests: RecordedRequest[] = [];
  const violations: SchemaViolation[] = [];
  const app = createGitHubApp({ store, schemas: loadGitHubSchemas(), faults, requests, violations });

  const { server, port } = await new Promise<{ server: Server; port: number }>((resolve, reject) => {
    const started = serve(
      { fetch: app.fetch, hostname: '127.0.0.1', port: options.port ?? 0 },
      (info: AddressInfo) => resolve({ server: started as Server, port: info.port }),
    );
    started.once('error', reject);
  });

  return {
    url: `http://127.0.0.1:${port}`,
    addRun: (run) => {
      store.addRun(run);
    },
    checkRuns: (filter = {}) =>
      store
        .checkRuns()
        .filter(
          (checkRun) =>
            (filter.repo === undefined || checkRun.repo.toLowerCase() === filter.repo.toLowerCase()) &&
            (filter.headSha === undefined || checkRun.head_sha === filter.headSha),
        )
        .map((checkRun) => structuredClone(checkRun)),
    requests: () => [...requests],
    schemaViolations: () => [...violations],
    failNext: (fault) => faults.add(fault),
    reset: () => {
      requests.length = 0;
      violations.length = 0;
      faults.clear();
      store.clearCheckRuns();
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Clients keep connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}
