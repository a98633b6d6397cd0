/** A Secrets Manager stand-in for `GetSecretValue` only, speaking the service's JSON 1.1 protocol. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalSecretsManager {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startLocalSecretsManager(
  secrets: Readonly<Record<string, string>>,
): Promise<LocalSecretsManager> {
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
    });
    req.on('end', () => {
      const { SecretId } = JSON.parse(raw || '{}') as { SecretId?: string };
      const secret = SecretId === undefined ? undefined : secrets[SecretId];
      const ok = req.headers['x-amz-target'] === 'secretsmanager.GetSecretValue' && secret !== undefined;
      res.writeHead(ok ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify(
          ok
            ? { ARN: SecretId, Name: 'github-app-key', SecretString: secret, VersionId: 'v1' }
            : {
                __type: 'ResourceNotFoundException',
                message: "Secrets Manager can't find the specified secret.",
              },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
