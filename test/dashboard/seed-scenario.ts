/**
 * A small history of failures, recorded through the analyzer's own writer, each at the time it happened (so stored
 * window counts go stale the way they do in production). Shared by the route tests and the browser test.
 */
import { recordOccurrence } from '../../services/analyzer/occurrence-store';
import { anOccurrence, hoursAgo, NOW, type OccurrenceOptions, type StateTable } from './factories';

export const SIGNATURES = {
  trunk: 'aaaa0000trunk001',
  flaky: 'bbbb0000flaky001',
  thisPr: 'cccc0000thispr01',
  stale: 'dddd0000stale001',
  vision: 'eeee0000vision01',
  xss: 'ffff0000xss00001',
} as const;

export const XSS = {
  summary: '<script>alert("summary")</script> fails',
  rootCause: 'Root </p><img src=x onerror=alert(1)> cause',
  job: '<img src=x onerror=alert("job")>',
  evidence: '</pre><script>alert("evidence")</script>',
} as const;

async function record(table: StateTable, options: OccurrenceOptions): Promise<void> {
  const occurrence = anOccurrence(options);
  // The writer runs when the failure happens, so its "now" is the occurrence's time.
  await recordOccurrence(table.client, table.tableName, occurrence, occurrence.at);
}

export async function seedScenario(table: StateTable): Promise<void> {
  const writes: Array<Promise<void>> = [];
  // Broken trunk: 5 on main in the last day, plus 1 on a PR.
  for (let hour = 1; hour <= 5; hour += 1) {
    writes.push(
      record(table, {
        ...mainOptions(),
        signature: SIGNATURES.trunk,
        at: hoursAgo(hour * 3),
        summary: 'Build of torch/csrc fails: undefined reference to at::native::add_out',
        category: 'build',
      }),
    );
  }
  writes.push(
    record(table, {
      signature: SIGNATURES.trunk,
      at: hoursAgo(2),
      prNumber: 501,
      ref: 'refs/pull/501/merge',
      summary: 'Build of torch/csrc fails: undefined reference to at::native::add_out',
      category: 'build',
    }),
  );
  // Likely flaky: 4 different PRs over the last 3 days.
  for (const [index, pr] of [601, 602, 603, 604].entries()) {
    writes.push(
      record(table, {
        signature: SIGNATURES.flaky,
        at: hoursAgo(10 + index * 15),
        prNumber: pr,
        ref: `refs/pull/${pr}/merge`,
        summary: 'test_distributed.py::test_allreduce times out waiting for rank 3',
        category: 'timeout',
        job: `linux-focal-cuda12.1 / test (distributed, ${index + 1}, 3)`,
      }),
    );
  }
  // This PR: twice on one PR, two days ago.
  for (const hour of [49, 50]) {
    writes.push(
      record(table, {
        signature: SIGNATURES.thisPr,
        at: hoursAgo(hour),
        prNumber: 777,
        ref: 'refs/pull/777/merge',
        summary: 'lintrunner: FLAKE8 E501 line too long in torch/nn/modules/conv.py',
        category: 'lint',
      }),
    );
  }
  // Stale: 8 occurrences ten days ago; its stored 24 h and 7 d counts are now far too high.
  for (let minute = 0; minute < 8; minute += 1) {
    writes.push(
      record(table, {
        signature: SIGNATURES.stale,
        at: new Date(hoursAgo(240).getTime() + minute * 60_000),
        prNumber: 800 + minute,
        ref: `refs/pull/${800 + minute}/merge`,
        summary: 'pip install fails: Could not find a version that satisfies numpy==9.9',
        category: 'dependency',
      }),
    );
  }
  // Infra, another repository, a feature branch.
  for (const hour of [4, 6, 8]) {
    writes.push(
      record(table, {
        signature: SIGNATURES.vision,
        at: hoursAgo(hour),
        repo: 'pytorch/vision',
        ref: 'refs/heads/feature-x',
        prNumber: undefined,
        summary: 'Pod failed to come online: node ran out of ephemeral storage',
        category: 'infra',
        isInfra: true,
        analyst: { kind: 'rules', reason: 'model over budget' },
      }),
    );
  }
  // Attacker-controlled text in the analysis and in the job name.
  writes.push(
    record(table, {
      signature: SIGNATURES.xss,
      at: hoursAgo(30),
      prNumber: 999,
      ref: 'refs/pull/999/merge',
      summary: XSS.summary,
      rootCause: XSS.rootCause,
      job: XSS.job,
      jobUrl: 'javascript:alert(1)',
      analysis: { evidence: [{ line: 3, text: XSS.evidence }] },
    }),
  );
  await Promise.all(writes);
}

function mainOptions(): OccurrenceOptions {
  return { ref: 'refs/heads/main', prNumber: undefined, workflow: 'trunk' };
}

export { NOW };
