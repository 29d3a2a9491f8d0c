/**
 * The op builders and request helpers of upload-sharing.test.ts: each request is one client transaction with a
 * fresh op_id, sent over real HTTP as a given user.
 */
import { expect } from 'vitest';
import { rows, type TestApi, type TestUser, upload } from './helpers.js';

let opId = 1;
const tx = (...ops: unknown[]) => ({ client_id: 'device', transactions: [{ op_id: opId++, ops }] });
export const project = (id: string, name = id) => ({ op: 'PUT', table: 'projects', id, data: { name } });
export const doc = (id: string, data: Record<string, unknown> = {}) => ({
  op: 'PUT',
  table: 'documents',
  id,
  data: { content: 'c', device_id: 'dev', ...data },
});
export const patch = (table: string, id: string, data: Record<string, unknown>) => ({
  op: 'PATCH',
  table,
  id,
  data,
});
export const del = (table: string, id: string) => ({ op: 'DELETE', table, id });
export const member = (projectId: string, user: TestUser, role: string) => ({
  op: 'PUT',
  table: 'project_members',
  id: `${projectId}.${user.userId}`,
  data: { project_id: projectId, user_id: user.userId, role, email: user.email },
});
export const versionRow = (id: string, documentId: string) => ({
  op: 'PUT',
  table: 'document_versions',
  id,
  data: { document_id: documentId, content: 'snapshot', version: 1 },
});
/** The error body of a refused request. */
export type ErrorBody = { error: { code: string } };

/** `one`, `send` and `expectRefused` against the API `api()` returns (started in the test's `beforeAll`). */
export function uploadAs(api: () => TestApi) {
  const one = async (table: string, id: string) => (await rows(api().pool, table, 'id = $1', [id]))[0];
  const send = (who: TestUser, ...ops: unknown[]) => upload(api().url, who.session, tx(...ops));
  async function expectRefused(who: TestUser, code: string, ...ops: unknown[]) {
    const res = await send(who, ...ops);
    expect(res.body?.error?.code, JSON.stringify(res.body)).toBe(code);
    return res.body.error as {
      code: string;
      message: string;
      details: { serverRow?: Record<string, unknown> } & Record<string, unknown>;
    };
  }
  return { one, send, expectRefused };
}
