/** Starts fauxqs, an SQS emulator speaking the real protocol, on 127.0.0.1. */
import { startFauxqs } from 'fauxqs';

export interface LocalSqs {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startLocalSqs(port = 0): Promise<LocalSqs> {
  const server = await startFauxqs({ port, logger: false });
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    stop: () => server.stop(),
  };
}
