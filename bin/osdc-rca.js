#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so the checkout needs no build step before `npx osdc-rca`.
import { register } from 'tsx/esm/api';

register();
await import('../services/cli/main.ts');
