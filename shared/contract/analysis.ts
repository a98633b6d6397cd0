/**
 * The analysis: what the model (or the offline rules analyst) says about a failure. The same schema is the
 * forced tool's input schema on Bedrock, the cached value in DynamoDB and what every surface renders.
 */
import { z } from 'zod';
import { type AnalysisOrigin, AnalysisOriginSchema } from './analysis-origin';

export const CATEGORIES = [
  'build',
  'test',
  'lint',
  'dependency',
  'network',
  'infra',
  'timeout',
  'oom',
  'cancelled',
  'unknown',
] as const;

export const CategorySchema = z.enum(CATEGORIES);

/** Strong signatures come from a specific rule and may be shared across jobs; weak ones never are. */
export type SignatureStrength = 'strong' | 'weak';
export type Category = z.infer<typeof CategorySchema>;

export const ConfidenceSchema = z.enum(['low', 'medium', 'high']);
export type Confidence = z.infer<typeof ConfidenceSchema>;

export const EvidenceSchema = z.object({
  /** 1-based line number in the job's step log, when known. */
  line: z.number().int().positive().optional(),
  text: z.string(),
});

export const FileRefSchema = z.object({
  path: z.string(),
  line: z.number().int().positive().optional(),
});

export const AnalysisSchema = z.object({
  summary: z.string(),
  rootCause: z.string(),
  category: CategorySchema,
  isInfra: z.boolean(),
  confidence: ConfidenceSchema,
  evidence: z.array(EvidenceSchema),
  suggestedFix: z.string(),
  files: z.array(FileRefSchema),
});

export type Analysis = z.infer<typeof AnalysisSchema>;
export type Evidence = z.infer<typeof EvidenceSchema>;
export type FileRef = z.infer<typeof FileRefSchema>;

/** Who produced an analysis: a Bedrock model, or the offline rules analyst (no model). */
export const AnalystSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('model'), modelId: z.string() }),
  z.object({ kind: z.literal('rules'), reason: z.string() }),
]);
export type Analyst = z.infer<typeof AnalystSchema>;

/** An analysis as stored and shown: the sanitised analysis plus where it came from. */
export const AnalysisRecordSchema = z.object({
  analysis: AnalysisSchema,
  analyst: AnalystSchema,
  signature: z.string(),
  strength: z.enum(['strong', 'weak']),
  rule: z.string(),
  promptVersion: z.string(),
  createdAt: z.iso.datetime(),
  /** Where the answer was first made; absent on records written before trust scoping. */
  origin: AnalysisOriginSchema.optional(),
});
export type AnalysisRecord = z.infer<typeof AnalysisRecordSchema>;

/**
 * An analysis as stored and shown, stamped with the signature it answers and the prompt version that produced it.
 *
 * @example
 * const record = toAnalysisRecord({ analysis, analyst, signature, at: new Date() });
 */
export function toAnalysisRecord(input: {
  readonly analysis: Analysis;
  readonly analyst: Analyst;
  readonly signature: {
    readonly signature: string;
    readonly strength: SignatureStrength;
    readonly rule: string;
  };
  readonly at: Date;
  readonly promptVersion: string;
  readonly origin?: AnalysisOrigin;
}): AnalysisRecord {
  return {
    analysis: input.analysis,
    analyst: input.analyst,
    signature: input.signature.signature,
    strength: input.signature.strength,
    rule: input.signature.rule,
    promptVersion: input.promptVersion,
    createdAt: input.at.toISOString(),
    ...(input.origin ? { origin: input.origin } : {}),
  };
}
