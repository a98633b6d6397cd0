/**
 * An HTTP proxy in front of a protocol-level stand-in that answers chosen requests with an error instead of
 * forwarding them: DynamoDB's `InternalServerError`, say, for the next two `UpdateItem` calls. The client under test
 * sees exactly what the AWS service would send.
 */
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface InjectedFault {
  /** Matches the request, e.g. on DynamoDB's `x-amz-target` header. */
  readonly matches: (request: IncomingMessage) => boolean;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  times: number;
}

export interface FaultyProxy {
  readonly endpoint: string;
  inject(fault: Omit<InjectedFault, 'times'> & { readonly times?: number }): void;
  /** How many requests were answered with an injected fault. */
  injected(): number;
  stop(): Promise<void>;
}

/** DynamoDB's answer to an internal failure (retryable), as the JSON 1.0 protocol encodes it. */
export function dynamoInternalError(
  operation: string,
  times = 1,
): Omit<InjectedFault, 'times'> & { times: number } {
  return {
    matches: (request) => request.headers['x-amz-target'] === `DynamoDB_20120810.${operation}`,
    status: 500,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'InternalServerError' },
    body: JSON.stringify({
      __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
      message: 'injected',
    }),
    times,
  };
}

export async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  const faults: InjectedFault[] = [];
  let injected = 0;
  const targetUrl = new URL(target);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const fault = faults.find((candidate) => candidate.times > 0 && candidate.matches(req));
    if (fault) {
      fault.times -= 1;
      injected += 1;
      req.resume();
      res.writeHead(fault.status, fault.headers).end(fault.body);
      return;
    }
    const upstream = forward(
      {
        host: targetUrl.hostname,
        port: targetUrl.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    inject: (fault) => faults.push({ ...fault, times: fault.times ?? 1 }),
    injected: () => injected,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
