/** Human-readable output of the desktop CLI. */
import type { SyncClientStatus } from '@syncline/client';
import type { SessionInfo } from '@syncline/client/electron';
import type { Note } from './notes.js';

/** One line per note: id, title, the start of the content. */
export function formatNotes(notes: Note[]): string {
  if (notes.length === 0) return '(no notes)';
  return notes
    .map((n) => {
      const content = n.content.replace(/\s+/g, ' ').trim();
      const preview = content.length > 60 ? `${content.slice(0, 59)}…` : content;
      return `${n.id}  ${n.title ?? '(untitled)'}${preview ? `  — ${preview}` : ''}`;
    })
    .join('\n');
}

/** `synced`, `syncing (2 pending)`, `offline — CLIENT_NETWORK: …`. */
export function statusLine(s: SyncClientStatus): string {
  const parts: string[] = [s.state];
  if (s.progress) parts.push(`${s.progress.downloaded}/${s.progress.total} ops`);
  if (s.pendingUploads > 0) parts.push(`${s.pendingUploads} pending`);
  if (s.rejected > 0) parts.push(`${s.rejected} rejected`);
  if (s.quarantined > 0) parts.push(`${s.quarantined} quarantined`);
  const text = parts.length > 1 ? `${parts[0]} (${parts.slice(1).join(', ')})` : parts[0]!;
  return s.error ? `${text} — ${s.error.code}: ${s.error.message}` : text;
}

/** The `status` command's report. */
export function formatStatus(r: {
  profile: string;
  dir: string;
  apiUrl: string;
  account: SessionInfo | null;
  status: SyncClientStatus;
}): string {
  const s = r.status;
  return [
    `profile   ${r.profile} (${r.dir})`,
    `api       ${r.apiUrl}`,
    `account   ${r.account ? `${r.account.email} (${r.account.userId})` : 'not signed in'}`,
    `sync      ${statusLine(s)}`,
    `last sync ${s.lastSyncedAt ? s.lastSyncedAt.toISOString() : 'never'}`,
  ].join('\n');
}
