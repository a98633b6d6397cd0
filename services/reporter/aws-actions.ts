/**
 * Everything the reporter does with AWS, as one unit that is loaded only when needed: the bundle embeds it as text
 * and compiles it on first use (see load-aws-actions.ts and build.mjs), so passing steps never pay for the SDK.
 */
export { collectFinishedAnalyses } from './collect-finished-analyses';
export { reportFailure } from './report-failure';
