#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so the checkout needs no build step before `npx osdc-rca`.
import { register } from 'tsx/esm/api';

// osdc-rca supports Node 20 on purpose (the runners' Node); the SDK's end-of-support notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('../services/cli/main.ts');
