/**
 * A structural check of a stored `AnalysisRecord` for the reporter bundle, which carries no schema library (zod
 * would add a large share of the ConfigMap's size for one GetItem). It checks what the inline renderer reads and
 * leaves content checks to the renderer's sanitising.
 */
import type { AnalysisRecord } from '../../shared/contract/analysis';

export function parseAnalysisRecord(json: string): AnalysisRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isObject(value) || !isObject(value.analysis) || !isObject(value.analyst)) return undefined;
  const { analysis, analyst } = value;
  const strings = [
    analysis.summary,
    analysis.rootCause,
    analysis.category,
    analysis.confidence,
    analysis.suggestedFix,
  ];
  if (!strings.every((field) => typeof field === 'string')) return undefined;
  if (typeof analysis.isInfra !== 'boolean') return undefined;
  if (!isArrayOf(analysis.evidence, (item) => typeof item.text === 'string' && isOptionalNumber(item.line))) {
    return undefined;
  }
  if (!isArrayOf(analysis.files, (item) => typeof item.path === 'string' && isOptionalNumber(item.line))) {
    return undefined;
  }
  const analystValid =
    (analyst.kind === 'model' && typeof analyst.modelId === 'string') ||
    (analyst.kind === 'rules' && typeof analyst.reason === 'string');
  if (!analystValid || typeof value.signature !== 'string') return undefined;
  return value as unknown as AnalysisRecord;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOptionalNumber(value: unknown): boolean {
  return value === undefined || typeof value === 'number';
}

function isArrayOf(value: unknown, check: (item: Record<string, unknown>) => boolean): boolean {
  return Array.isArray(value) && value.every((item) => isObject(item) && check(item));
}
