import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SynclineSchema } from '../schema/index.js';
import { type AnyTable, isTableDefinition } from '../table/index.js';

/**
 * Loads a TypeScript or JavaScript module by path (TypeScript needs a loader such as tsx registered, as the
 * `syncline` CLI does).
 *
 * @example
 * const mod = await loadModule('src/db/client-schema.ts');
 */
export async function loadModule(path: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
}

/** Table definitions exported by a module: a `defineSchema` result, or individual tables. */
export function definitionsInModule(mod: Record<string, unknown>): AnyTable[] {
  const fromSchema = Object.values(mod).find(
    (v): v is SynclineSchema =>
      typeof v === 'object' && v !== null && Array.isArray((v as SynclineSchema).tables) && 'powersync' in v,
  );
  if (fromSchema) return [...fromSchema.tables];
  return Object.values(mod).filter(isTableDefinition);
}
