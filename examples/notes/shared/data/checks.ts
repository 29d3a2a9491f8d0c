/** Argument checks of the notes actions: they run in the Electron main process on data from a renderer. */
import { NotesError } from './errors.js';

/** The longest project or group name. */
export const MAX_NAME = 120;

/** A project or group name, trimmed; `CLIENT_USAGE` with a sentence the UI can show if it is unusable. */
export function checkName(name: unknown, what: 'project' | 'group'): string {
  const n = typeof name === 'string' ? name.trim() : '';
  if (!n) throw new NotesError('CLIENT_USAGE', `Give the ${what} a name.`, { field: 'name' });
  if (n.length > MAX_NAME) {
    throw new NotesError('CLIENT_USAGE', `Keep the ${what} name under ${MAX_NAME} characters.`, {
      field: 'name',
    });
  }
  return n;
}

export function id(v: unknown, what: string): string {
  if (typeof v !== 'string' || v === '') throw new NotesError('CLIENT_USAGE', `"${what}" must be an id.`);
  return v;
}
export function optionalId(v: unknown, what: string): string | null {
  return v === null || v === undefined ? null : id(v, what);
}
export function text(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new NotesError('CLIENT_USAGE', `"${what}" must be text.`);
  return v;
}
