import { type ErrorCode, errorCatalog, isErrorCode } from './codes.js';

/** Details attached to an error: anything JSON-serialisable that helps a user act on it. */
export type ErrorDetails = Record<string, unknown>;

/** Options for {@link SyncError}. */
export interface SyncErrorOptions {
  /** HTTP status at a boundary. Defaults to the code's status in the registry. */
  status?: number;
  /** Structured context: table, column, transaction, setting… */
  details?: ErrorDetails;
  /** The underlying error. */
  cause?: unknown;
}

/** The JSON body of an error at an HTTP boundary. */
export interface ErrorBody {
  error: { code: string; message: string; details?: ErrorDetails };
}

/**
 * The error every Syncline package throws: a registry code, an actionable message, an HTTP status
 * and structured details.
 *
 * @example
 * throw new SyncError('UPLOAD_UNKNOWN_TABLE', 'Table "todo" is not synced. Synced tables: todos, lists', {
 *   details: { table: 'todo' },
 * });
 */
export class SyncError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, options: SyncErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SyncError';
    this.code = code;
    this.status = options.status ?? errorCatalog[code].status;
    this.details = options.details;
  }

  /**
   * Whether `err` is a SyncError (optionally with one of the given codes). Works across package
   * copies because it checks the shape, not the prototype.
   *
   * @example
   * if (SyncError.is(err, 'AUTH_EXPIRED')) await refresh();
   */
  static is(err: unknown, ...codes: ErrorCode[]): err is SyncError {
    if (err instanceof SyncError) return codes.length === 0 || codes.includes(err.code);
    if (typeof err !== 'object' || err === null) return false;
    const candidate = err as { name?: unknown; code?: unknown; status?: unknown };
    if (
      candidate.name !== 'SyncError' ||
      !isErrorCode(candidate.code) ||
      typeof candidate.status !== 'number'
    ) {
      return false;
    }
    return codes.length === 0 || codes.includes(candidate.code);
  }

  /**
   * Wraps anything thrown into a SyncError, keeping SyncErrors as they are.
   *
   * @example
   * catch (e) { throw SyncError.from(e, 'STORAGE_FAILED', 'Could not write ops'); }
   */
  static from(err: unknown, code: ErrorCode = 'INTERNAL', message?: string): SyncError {
    if (SyncError.is(err)) return err;
    const text = message ?? (err instanceof Error ? err.message : String(err));
    return new SyncError(code, text, { cause: err });
  }

  /**
   * Rebuilds a SyncError from an HTTP response with an {@link ErrorBody}, or from its status when
   * the body is not ours.
   *
   * @example
   * if (!res.ok) throw await SyncError.fromResponse(res);
   */
  static async fromResponse(res: { status: number; text(): Promise<string> }): Promise<SyncError> {
    let body = '';
    try {
      body = await res.text();
    } catch {
      // body unreadable: fall through with the status only
    }
    try {
      const parsed = JSON.parse(body) as Partial<ErrorBody>;
      const e = parsed.error;
      if (e && typeof e.message === 'string') {
        const code = isErrorCode(e.code) ? e.code : statusToCode(res.status);
        return new SyncError(code, e.message, {
          status: res.status,
          details: e.details ?? { remoteCode: e.code },
        });
      }
    } catch {
      // not JSON
    }
    const snippet = body.length > 300 ? `${body.slice(0, 300)}…` : body;
    return new SyncError(statusToCode(res.status), `HTTP ${res.status}${snippet ? `: ${snippet}` : ''}`, {
      status: res.status,
    });
  }

  /** The `{ error: { code, message, details } }` body for HTTP responses. */
  toJSON(): ErrorBody {
    const error: ErrorBody['error'] = { code: this.code, message: this.message };
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }

  /**
   * A JSON `Response` carrying this error with its status.
   *
   * @example
   * return new SyncError('UPLOAD_TOO_MANY_OPS', 'Max 1000 ops per request').toResponse();
   */
  toResponse(headers: Record<string, string> = {}): Response {
    return new Response(JSON.stringify(this.toJSON()), {
      status: this.status,
      headers: { 'content-type': 'application/json', ...headers },
    });
  }
}

function statusToCode(status: number): ErrorCode {
  if (status === 401) return 'AUTH_INVALID_SESSION';
  if (status === 413) return 'UPLOAD_BODY_TOO_LARGE';
  if (status >= 500) return 'CLIENT_SERVER_ERROR';
  return 'CLIENT_INVALID_RESPONSE';
}
