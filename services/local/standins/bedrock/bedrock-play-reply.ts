/** Writes a scripted reply as Bedrock's Converse API would: a response JSON, or an error in restJson1 form. */
import { randomUUID } from 'node:crypto';
import type { Http2ServerResponse } from 'node:http2';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConverseRequestRecord } from './bedrock-converse-request';
import type { BedrockReply } from './bedrock-replies';

/** Plays one reply and returns what was sent (`aborted` when the client went away first). */
export async function playReply(
  reply: BedrockReply,
  request: ConverseRequestRecord,
  res: Http2ServerResponse,
  requestBytes: number,
): Promise<string> {
  switch (reply.kind) {
    case 'delay': {
      // A client that gave up before the request was read is already gone: its 'close' will not come again.
      if (res.stream.closed || res.stream.destroyed) return 'aborted';
      const closed = new AbortController();
      res.stream.once('close', () => closed.abort());
      try {
        await sleep(reply.ms, undefined, { signal: closed.signal });
      } catch {
        return 'aborted';
      }
      return playReply(reply.reply, request, res, requestBytes);
    }
    case 'compute':
      return playReply(await reply.build(request), request, res, requestBytes);
    case 'error':
      sendError(res, reply);
      return reply.errorType;
    case 'malformed':
      send(res, 200, reply.body);
      return 'malformed';
    case 'text':
    case 'toolUse': {
      const content =
        reply.kind === 'text'
          ? [{ text: reply.text }]
          : [
              {
                toolUse: {
                  toolUseId: `tooluse_${randomUUID().replaceAll('-', '').slice(0, 22)}`,
                  name:
                    reply.toolName ?? request.forcedTool ?? request.body.toolConfig?.tools[0]?.toolSpec.name,
                  input: reply.input,
                },
              },
            ];
      const output = JSON.stringify(content);
      // About four bytes a token: enough for cost and metrics code to see plausible, size-dependent numbers.
      const inputTokens = reply.usage?.inputTokens ?? Math.ceil(requestBytes / 4);
      const wanted = reply.usage?.outputTokens ?? Math.ceil(output.length / 4);
      // Like the model, stop at the request's maxTokens: the answer is cut off and says so.
      const maxTokens = request.body.inferenceConfig?.maxTokens;
      const cutOff = maxTokens !== undefined && wanted > maxTokens;
      const outputTokens = cutOff ? maxTokens : wanted;
      send(
        res,
        200,
        JSON.stringify({
          output: { message: { role: 'assistant', content } },
          stopReason: cutOff ? 'max_tokens' : reply.kind === 'text' ? 'end_turn' : 'tool_use',
          usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
          metrics: { latencyMs: 1 },
        }),
      );
      return reply.kind;
    }
  }
}

export function sendError(
  res: Http2ServerResponse,
  error: { status: number; errorType: string; message: string },
): void {
  send(res, error.status, JSON.stringify({ message: error.message }), {
    'x-amzn-errortype': `${error.errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
  });
}

function send(
  res: Http2ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (res.stream.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...headers });
  res.end(body);
}
