import { SyncError } from '@syncline/errors';
import type { BridgeErrorBody } from './channels.js';

/**
 * An error as a structured-clone-safe value: a SyncError keeps its code; an app error with an
 * UPPER_SNAKE `code` string (e.g. `CLIENT_NOT_FOUND`) keeps it too; anything else is `INTERNAL`.
 */
export function errorBody(e: unknown): BridgeErrorBody {
  const appCode = (e as { code?: unknown } | null)?.code;
  const err =
    !SyncError.is(e) &&
    e instanceof Error &&
    typeof appCode === 'string' &&
    /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(appCode) &&
    !appCode.startsWith('ERR_') // Node's own error codes
      ? { code: appCode, message: e.message, details: (e as { details?: unknown }).details }
      : SyncError.from(e);
  const body: BridgeErrorBody = { code: err.code, message: err.message };
  if (err.details !== undefined && err.details !== null) {
    try {
      body.details = JSON.parse(JSON.stringify(err.details)) as Record<string, unknown>;
    } catch {
      // details that do not serialise are dropped, the code and message stay
    }
  }
  return body;
}
