/** What the dashboard shows of a signature, with the verified-facts fields the reuse attacks read (docs/dashboard.md). */

import type { FailureReport } from '../../../shared/contract/failure-report';
import { decodeReportLog } from '../../../shared/contract/report-log-codec';
import { computeSignature } from '../../../shared/signature/compute-signature';
import type { SecurityWorld } from './security-world';

export interface SignatureJson {
  readonly whereSeen: string;
  readonly signature: {
    readonly summary: string;
    readonly isInfra: boolean;
    readonly analysisTrusted: boolean;
    readonly prAuthorCount: number;
    readonly branchKinds: readonly string[];
    readonly lastSeenAt: string;
    readonly lastSeenOnMainAt?: string;
    readonly prs?: readonly string[];
    /** The analysis shown, and who made it. */
    readonly record?: {
      readonly analyst:
        | { readonly kind: 'model'; readonly modelId: string }
        | { readonly kind: 'rules'; readonly reason: string };
      readonly origin?: { readonly ref: string; readonly prNumber?: number; readonly trusted: boolean };
    };
  };
}

/** The dashboard's JSON for a signature (undefined when it has none). */
export async function dashboardOf(
  world: SecurityWorld,
  signature: string,
): Promise<SignatureJson | undefined> {
  return (await world.dashboard(signature)) as unknown as SignatureJson | undefined;
}

/** The signature the analyzer computes for a report's log. */
export function signatureOf(report: Pick<FailureReport, 'log'>): string {
  return computeSignature(decodeReportLog(report.log)).signature;
}
