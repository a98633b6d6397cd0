/** One line about an error from an SDK client, Octokit or the network, for a doctor verdict. */

export interface ErrorFacts {
  /** The service's error code (`QueueDoesNotExist`, `AccessDeniedException`) or the error's name. */
  readonly name: string;
  readonly message: string;
  readonly httpStatus: number | undefined;
  /** A network error code (`ECONNREFUSED`, `ENOTFOUND`) found on the error or its causes. */
  readonly networkCode: string | undefined;
}

export function errorFacts(error: unknown): ErrorFacts {
  const candidate = error as {
    name?: unknown;
    message?: unknown;
    Code?: unknown;
    $metadata?: { httpStatusCode?: number };
    status?: unknown;
  };
  const name =
    typeof candidate?.Code === 'string'
      ? candidate.Code
      : typeof candidate?.name === 'string'
        ? candidate.name
        : 'Error';
  const message = typeof candidate?.message === 'string' ? candidate.message : String(error);
  const httpStatus =
    candidate?.$metadata?.httpStatusCode ??
    (typeof candidate?.status === 'number' ? candidate.status : undefined);
  return { name, message, httpStatus, networkCode: networkCodeOf(error) };
}

/** `AccessDenied: User … is not authorized` or `unreachable (ECONNREFUSED)`. */
export function describeError(error: unknown): string {
  const facts = errorFacts(error);
  if (facts.networkCode) return `unreachable (${facts.networkCode})`;
  if (facts.name === 'TimeoutError' || facts.name === 'AbortError') return 'no answer in time';
  const message = facts.message.replace(/\s+/g, ' ').trim().slice(0, 300);
  return message && message !== facts.name ? `${facts.name}: ${message}` : facts.name;
}

const NETWORK_CODES = /^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/;

function networkCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.test(code)) return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) current = errors[0];
    else current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
