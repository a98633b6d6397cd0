/**
 * Test support: servers on 127.0.0.1 that misbehave the ways a queue endpoint can (never answers, answers late,
 * answers with an error), a real SQS emulator queue per test, and reading reports back from it.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type FailureReport, parseFailureReport } from '../../../shared/contract/failure-report';
import { decodeReportLog } from '../../../shared/contract/report-log-codec';
import type { CaptureSnapshot } from '../../../shared/log/types';

export const LOCAL_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_REGION: 'us-east-1',
};

export interface StandIn {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Accepts connections and never sends a byte. */
export async function startSilentServer(): Promise<StandIn> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  return listen(server, () => {
    for (const socket of sockets) socket.destroy();
  });
}

/** Answers every request with `status` and an AWS JSON error body, after `delayMs`. */
export async function startHttpServer(status: number, delayMs = 0): Promise<StandIn> {
  const timers = new Set<NodeJS.Timeout>();
  const server = createHttpServer((request, response) => {
    request.resume();
    const timer = setTimeout(() => {
      timers.delete(timer);
      const type = status === 403 ? 'AccessDenied' : status === 200 ? '' : 'InternalError';
      response.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': 'test',
      });
      response.end(status === 200 ? '{}' : JSON.stringify({ __type: type, message: `stand-in ${status}` }));
    }, delayMs);
    timers.add(timer);
  });
  return listen(server, () => {
    for (const timer of timers) clearTimeout(timer);
    server.closeAllConnections();
  });
}

function listen(
  server: ReturnType<typeof createNetServer> | ReturnType<typeof createHttpServer>,
  beforeClose: () => void,
): Promise<StandIn> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            beforeClose();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A fresh queue on the SQS emulator, and helpers to read what the reporter sent to it. */
export async function createTestQueue(endpoint: string, name: string) {
  const client = new SQSClient({
    region: LOCAL_CREDENTIALS.AWS_REGION,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { QueueUrl } = await client.send(
    new CreateQueueCommand({ QueueName: `${name}-${Math.random().toString(36).slice(2, 10)}` }),
  );
  const queueUrl = QueueUrl!;
  return {
    queueUrl,
    /** Raw message bodies now in the queue (each received once). */
    async receiveBodies(waitSeconds = 0): Promise<string[]> {
      const { Messages } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: waitSeconds,
        }),
      );
      return (Messages ?? []).map((message) => message.Body ?? '');
    },
    async count(): Promise<number> {
      const { Attributes } = await client.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
    },
    destroy: () => client.destroy(),
  };
}

/** Parses a body with the analyzer's own validation and decodes its log with the shared codec. */
export function decodeReport(body: string): {
  report: FailureReport;
  snapshot: CaptureSnapshot;
  tail: readonly string[];
  windows: ReadonlyArray<readonly string[]>;
} {
  const report = parseFailureReport(body);
  const snapshot = decodeReportLog(report.log);
  return {
    report,
    snapshot,
    tail: snapshot.tail.lines,
    windows: snapshot.windows.map((window) => window.lines),
  };
}
