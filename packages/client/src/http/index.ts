/** HTTP to the app's API: every failure becomes a SyncError with a code. */
import { type ErrorCode, isErrorCode, SyncError } from '@syncline/errors';

/** The subset of `fetch` the client uses; inject your own (tests, React Native, auth wrappers). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** A response body read as text, with what the client needs to decide. */
export interface ReadResponse {
  status: number;
  text: string;
  /** The parsed JSON body, or undefined when it is not JSON. */
  json: unknown;
}

/**
 * Sends a request; a thrown fetch (refused, reset, DNS, aborted) becomes `CLIENT_NETWORK`. The body is
 * read completely, so a connection dropped mid-body is a network error too.
 *
 * @example
 * const res = await send(fetch, `${apiUrl}/api/powersync/config`, { headers });
 */
export async function send(fetchImpl: FetchLike, url: string, init: RequestInit): Promise<ReadResponse> {
  let res: Response;
  let text: string;
  try {
    res = await fetchImpl(url, init);
    text = await res.text();
  } catch (e) {
    throw new SyncError('CLIENT_NETWORK', `Could not reach ${originOf(url)}: ${describe(e)}`, {
      cause: e,
      details: { url: pathOf(url) },
    });
  }
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/**
 * The error a non-2xx response carries. `envelope` is true when the body is the API's
 * `{ error: { code, message, details } }` with a registry code — only then may the client treat a 4xx as
 * a permanent verdict on the data it sent.
 *
 * @example
 * const { error, envelope } = await responseError(res);
 */
export async function responseError(res: ReadResponse): Promise<{ error: SyncError; envelope: boolean }> {
  const error = await SyncError.fromResponse({ status: res.status, text: async () => res.text });
  const body = res.json as { error?: { code?: unknown; message?: unknown } } | undefined;
  const envelope =
    typeof body === 'object' &&
    body !== null &&
    typeof body.error === 'object' &&
    body.error !== null &&
    isErrorCode(body.error.code) &&
    typeof body.error.message === 'string';
  if (res.status >= 500 && !TRANSIENT_CODES.includes(error.code)) {
    return {
      error: new SyncError('CLIENT_SERVER_ERROR', error.message, {
        status: res.status,
        details: { ...error.details, remoteCode: error.code },
      }),
      envelope,
    };
  }
  return { error, envelope };
}

const TRANSIENT_CODES: readonly ErrorCode[] = ['UPLOAD_INTERNAL', 'INTERNAL', 'CLIENT_SERVER_ERROR'];

/** Wraps an unexpected body in `CLIENT_INVALID_RESPONSE`. */
export function invalidResponse(what: string, res: ReadResponse): SyncError {
  const snippet = res.text.length > 200 ? `${res.text.slice(0, 200)}…` : res.text;
  return new SyncError(
    'CLIENT_INVALID_RESPONSE',
    `${what}: unexpected response (HTTP ${res.status}) ${snippet}`,
    {
      status: res.status,
    },
  );
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${e.message} (${cause.code})` : e.message;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
