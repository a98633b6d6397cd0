import { defineConfig } from 'vitest/config';

// The AWS SDK warns once per process that Node 20 support ends; the reporter must run on Node 20 (the runner's).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real stand-ins (DynamoDB Local, fauxqs); two cores, so keep the pool small.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    globalSetup: ['test/support/global-setup.ts'],
  },
});
