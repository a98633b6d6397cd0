/**
 * Decides whether local runs may call Bedrock: only when `OSDC_RCA_MODEL_ID` is set and the SDK's standard
 * credential chain yields credentials quickly. Otherwise the offline rules analyst answers, and the CLI says so.
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';

export async function resolveBedrockModel(
  env: NodeJS.ProcessEnv,
  timeoutMs = 3000,
): Promise<string | undefined> {
  const modelId = env.OSDC_RCA_MODEL_ID?.trim();
  if (!modelId) return undefined;
  const client = new BedrockRuntimeClient({});
  let timer: NodeJS.Timeout | undefined;
  try {
    const credentials = await Promise.race([
      client.config.credentials(),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), timeoutMs);
      }),
    ]);
    return credentials?.accessKeyId ? modelId : undefined;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
    client.destroy();
  }
}
