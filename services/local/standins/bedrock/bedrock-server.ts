/**
 * A local Amazon Bedrock Runtime that speaks the Converse API over HTTP/2 cleartext, which is what
 * `@aws-sdk/client-bedrock-runtime` uses by default (`NodeHttp2Handler`). Replies are scripted (see
 * `bedrock-replies.ts`); every request is recorded so that tests can count model calls per model id.
 *
 * @example
 * const bedrock = await startLocalBedrock();
 * bedrock.enqueueFor('global.anthropic.claude-opus-4-6-v1', bedrockReplies.throttling());
 * const client = new BedrockRuntimeClient({ ...LOCAL_AWS, endpoint: bedrock.endpoint });
 * // … run the code under test …
 * expect(bedrock.callCounts()).toEqual({ 'global.anthropic.claude-opus-4-6-v1': 1, 'global.anthropic.claude-sonnet-4-6': 1 });
 */
import {
  createServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { type ConverseRequestRecord, parseConverseRequest } from './bedrock-converse-request';
import { playReply, sendError } from './bedrock-play-reply';
import { type BedrockReply, defaultReply } from './bedrock-replies';

export interface RecordedModelCall extends ConverseRequestRecord {
  /**
   * What the server answered: the reply kind (`toolUse`, `text`, `malformed`) or error type, after delays and
   * computed replies; `aborted` when the client went away first; `pending` while in flight.
   */
  readonly outcome: string;
}

export interface LocalBedrock {
  /** `http://127.0.0.1:<port>`, for the client's `endpoint`. */
  readonly endpoint: string;
  /** Replies for the next calls of any model, in order. */
  enqueue(...replies: BedrockReply[]): void;
  /** Replies for the next calls of one model; used before the shared queue. */
  enqueueFor(modelId: string, ...replies: BedrockReply[]): void;
  /** The reply once the queues are empty; a valid analysis tool call unless set. */
  setDefault(reply: BedrockReply): void;
  /** Valid Converse calls received (malformed ones are in `rejected()`). */
  requests(): readonly RecordedModelCall[];
  callCounts(): Record<string, number>;
  /** Requests answered with a ValidationException, with Bedrock's message. */
  rejected(): ReadonlyArray<{ readonly modelId: string; readonly message: string }>;
  /** Queued replies not yet played. */
  pending(): number;
  /** Resolves when every call received so far has been answered or abandoned. */
  idle(): Promise<void>;
  /** Clears queues, records and the default. */
  reset(): void;
  stop(): Promise<void>;
}

export interface StartLocalBedrockOptions {
  readonly port?: number;
  /** When given, other model ids get the ValidationException Bedrock sends for an unknown model. */
  readonly models?: readonly string[];
}

const CONVERSE_PATH = /^\/model\/([^/]+)\/converse$/;

export async function startLocalBedrock(options: StartLocalBedrockOptions = {}): Promise<LocalBedrock> {
  const shared: BedrockReply[] = [];
  const perModel = new Map<string, BedrockReply[]>();
  const calls: Array<{ -readonly [K in keyof RecordedModelCall]: RecordedModelCall[K] }> = [];
  const inFlight = new Set<Promise<unknown>>();
  const rejected: Array<{ modelId: string; message: string }> = [];
  let fallback = defaultReply();
  const sessions = new Set<Http2Session>();

  const nextReply = (modelId: string): BedrockReply =>
    perModel.get(modelId)?.shift() ?? shared.shift() ?? fallback;

  const handle = async (req: Http2ServerRequest, res: Http2ServerResponse) => {
    const match = CONVERSE_PATH.exec((req.url ?? '').split('?')[0] ?? '');
    const raw = await readBody(req);
    if (req.method !== 'POST' || !match?.[1]) {
      return sendError(res, {
        status: 404,
        errorType: 'UnknownOperationException',
        message: 'Unknown operation',
      });
    }
    const modelId = decodeURIComponent(match[1]);
    if (options.models && !options.models.includes(modelId)) {
      rejected.push({ modelId, message: 'The provided model identifier is invalid.' });
      return sendError(res, validationError('The provided model identifier is invalid.'));
    }
    const parsed = parseConverseRequest(modelId, raw);
    if (!parsed.ok) {
      rejected.push({ modelId, message: parsed.message });
      return sendError(res, validationError(parsed.message));
    }
    const call = { ...parsed.request, outcome: 'pending' };
    calls.push(call);
    const playing = playReply(nextReply(modelId), parsed.request, res, raw.length);
    inFlight.add(playing);
    try {
      call.outcome = await playing;
    } finally {
      inFlight.delete(playing);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('bedrock stand-in:', error);
      if (!res.headersSent && !res.stream.destroyed) {
        sendError(res, { status: 500, errorType: 'InternalServerException', message: 'stand-in failure' });
      }
    });
  });
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    enqueue: (...replies) => {
      shared.push(...replies);
    },
    enqueueFor: (modelId, ...replies) => {
      perModel.set(modelId, [...(perModel.get(modelId) ?? []), ...replies]);
    },
    setDefault: (reply) => {
      fallback = reply;
    },
    requests: () => calls.map((call) => ({ ...call })),
    callCounts: () => {
      const counts: Record<string, number> = {};
      for (const call of calls) counts[call.modelId] = (counts[call.modelId] ?? 0) + 1;
      return counts;
    },
    rejected: () => [...rejected],
    idle: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    pending: () => shared.length + [...perModel.values()].reduce((sum, queue) => sum + queue.length, 0),
    reset: () => {
      shared.length = 0;
      perModel.clear();
      calls.length = 0;
      rejected.length = 0;
      fallback = defaultReply();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // SDK clients keep their HTTP/2 sessions open; close() would wait for them.
        for (const session of sessions) session.destroy();
      }),
  };
}

function validationError(message: string) {
  return { status: 400, errorType: 'ValidationException', message };
}

async function readBody(req: Http2ServerRequest): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
