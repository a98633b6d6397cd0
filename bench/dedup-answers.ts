/** What the dedup bench counts in the Results table once the burst is done: signatures and answers per trust scope. */
import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { AnalysisRecord } from '../shared/contract/analysis';

export interface DedupAnswers {
  readonly signatures: ReadonlySet<string>;
  /** (signature, trust scope) pairs that have an answer: each should cost one model call. */
  readonly answers: ReadonlySet<string>;
  /** Answers the rules analyst made (a spend cap or a budget refused the model): 0, or the ratio flatters. */
  readonly rulesAnswers: ReadonlySet<string>;
}

/** Reads every report item's signature and analysis record (its origin's scope, its analyst). */
export async function answersOf(dynamo: DynamoDBClient, table: string): Promise<DedupAnswers> {
  const signatures = new Set<string>();
  const answers = new Set<string>();
  const rulesAnswers = new Set<string>();
  let exclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({ TableName: table, ExclusiveStartKey: exclusiveStartKey }),
    );
    for (const item of page.Items ?? []) {
      if (!item.pk?.S?.startsWith('report#') || !item.signature?.S) continue;
      signatures.add(item.signature.S);
      const record = item.record?.S ? (JSON.parse(item.record.S) as AnalysisRecord) : undefined;
      const answer = `${item.signature.S}@${record?.origin?.scope ?? '?'}`;
      answers.add(answer);
      if (record?.analyst.kind === 'rules') rulesAnswers.add(answer);
    }
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey);
  return { signatures, answers, rulesAnswers };
}
