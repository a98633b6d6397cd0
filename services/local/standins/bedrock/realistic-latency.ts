/**
 * Model latency as Claude Opus 4.6 on Bedrock shows it, played by the local Bedrock: time to first token, then the
 * analysis's output tokens at a generation rate, with a slow tail and occasional throttling. The figures and their
 * source are in docs/benchmarks.md ("Model latency"); `npm start` and `npm run bench:inline` use this profile.
 *
 * @example
 * bedrock.setDefault(realisticLatencyReply({ random: seededRandom(7) }));
 */
import { type BedrockReply, bedrockReplies, defaultReply } from './bedrock-replies';

export interface ModelLatencyProfile {
  /** Time to first token: log-normal with this median and log-space standard deviation. */
  readonly ttftMedianMs: number;
  readonly ttftSigma: number;
  /** Output tokens of one analysis (the forced tool call), uniform in this range. */
  readonly outputTokens: readonly [number, number];
  /** Generation rate: normal, clipped to [min, max]. */
  readonly tokensPerSecond: {
    readonly mean: number;
    readonly sd: number;
    readonly min: number;
    readonly max: number;
  };
  /** Share of calls in the slow tail (a busy region, a long answer), slowed by a factor in this range. */
  readonly slowShare: number;
  readonly slowFactor: readonly [number, number];
  /** Share of calls answered with a ThrottlingException (on-demand quota) after `throttleAfterMs`. */
  readonly throttleShare: number;
  readonly throttleAfterMs: number;
}

export const OPUS_4_6_ON_BEDROCK: ModelLatencyProfile = {
  ttftMedianMs: 2000,
  ttftSigma: 0.35,
  outputTokens: [350, 900],
  tokensPerSecond: { mean: 50, sd: 8, min: 30, max: 70 },
  slowShare: 0.05,
  slowFactor: [2, 3],
  throttleShare: 0.03,
  throttleAfterMs: 150,
};

export interface ModelLatencyDraw {
  readonly throttled: boolean;
  /** How long the call takes, scaled. */
  readonly ms: number;
  readonly outputTokens: number;
}

export interface RealisticLatencyOptions {
  readonly profile?: ModelLatencyProfile;
  /** Multiplies every delay: 1 is production timing; tests and `--once` may shorten it. */
  readonly scale?: number;
  /** Uniform in [0, 1); a seeded one makes a run repeatable. */
  readonly random?: () => number;
  /** Told about every call's draw, e.g. for a benchmark's breakdown. */
  readonly onDraw?: (draw: ModelLatencyDraw) => void;
}

export function drawModelLatency(
  profile: ModelLatencyProfile,
  random: () => number,
  scale = 1,
): ModelLatencyDraw {
  if (random() < profile.throttleShare) {
    return { throttled: true, ms: profile.throttleAfterMs * scale, outputTokens: 0 };
  }
  const ttft = profile.ttftMedianMs * Math.exp(profile.ttftSigma * normal(random));
  const [fewest, most] = profile.outputTokens;
  const outputTokens = Math.round(fewest + (most - fewest) * random());
  const { mean, sd, min, max } = profile.tokensPerSecond;
  const rate = Math.min(max, Math.max(min, mean + sd * normal(random)));
  const [slowest, slower] = profile.slowFactor;
  const slow = random() < profile.slowShare ? slowest + (slower - slowest) * random() : 1;
  return { throttled: false, ms: (ttft + (outputTokens / rate) * 1000) * slow * scale, outputTokens };
}

/** A reply for every call: throttled, or the default analysis after a drawn delay. */
export function realisticLatencyReply(options: RealisticLatencyOptions = {}): BedrockReply {
  const profile = options.profile ?? OPUS_4_6_ON_BEDROCK;
  const random = options.random ?? Math.random;
  return bedrockReplies.compute(() => {
    const draw = drawModelLatency(profile, random, options.scale ?? 1);
    options.onDraw?.(draw);
    return draw.throttled
      ? bedrockReplies.slow(draw.ms, bedrockReplies.throttling())
      : bedrockReplies.slow(draw.ms, defaultReply());
  });
}

/** A small seeded generator (mulberry32): the same seed, the same run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Standard normal by Box–Muller. */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
