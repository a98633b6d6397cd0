/** The analyzer's DynamoDB-backed stores, each bound to its table and settings once per processor. */
import { AnalysisCache } from './analysis-cache';
import { BudgetLedger } from './budget-ledger';
import type { AnalyzerDeps } from './create-analyzer-deps';
import { JobStepBinding } from './job-step-binding';
import { ReportStore } from './report-store';
import { SpendCaps } from './spend-caps';

export interface AnalyzerStores {
  readonly reports: ReportStore;
  readonly bindings: JobStepBinding;
  readonly cache: AnalysisCache;
  readonly budget: BudgetLedger;
  readonly caps: SpendCaps;
}

export function createAnalyzerStores(deps: AnalyzerDeps): AnalyzerStores {
  const { config, dynamo: client, now } = deps;
  return {
    reports: new ReportStore({ client, tableName: config.resultsTable, now }),
    bindings: new JobStepBinding({ client, tableName: config.resultsTable, now }),
    cache: new AnalysisCache({
      client,
      tableName: config.resultsTable,
      leaseSeconds: config.leaseSeconds,
      now,
    }),
    budget: new BudgetLedger({
      client,
      tableName: config.stateTable,
      dailyBudgetUsd: config.dailyBudgetUsd,
      repoDailyBudgetUsd: config.repoDailyBudgetUsd,
      now,
    }),
    caps: new SpendCaps({ client, tableName: config.stateTable, limits: config.spendCaps, now }),
  };
}
