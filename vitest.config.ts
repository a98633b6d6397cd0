import { defineConfig } from 'vitest/config';

// The AWS SDK warns once per process that Node 20 support ends; the reporter must run on Node 20 (the runner's).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * Files that load the machine on their own (1 GiB through pipes, the capture's worker threads, many spawns of the
 * reporter bundle) and measure the reporter while doing it. They run after the rest, one file at a time, so they
 * neither slow the other files down nor share the two cores with them.
 */
const HEAVY = [
  'test/reporter/fail-open.test.ts',
  'test/reporter/offloaded-capture.test.ts',
  'test/reporter/spawn-hook.test.ts',
  'test/reporter/inline-wait.test.ts',
  'test/reporter/wrapper-inline.test.ts',
];

const timeouts = { testTimeout: 30_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    // Started once for both projects (DynamoDB Local, fauxqs); the projects inherit what it provides.
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      {
        test: {
          name: 'suite',
          include: ['test/**/*.test.ts'],
          exclude: HEAVY,
          // Integration tests start real stand-ins; two cores, so keep the pool small.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          ...timeouts,
        },
      },
      {
        test: {
          name: 'heavy',
          include: HEAVY,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          ...timeouts,
        },
      },
    ],
  },
});
