import type { Schema } from '@powersync/common';
import { DrizzleAppSchema } from '@powersync/drizzle-driver';
import type { SynclineSchema } from '@syncline/schema';

const cache = new WeakMap<SynclineSchema, Schema>();

/** The PowerSync client schema of a Syncline schema (`new DrizzleAppSchema(schema.powersync)`), built once. */
export function clientSchemaOf(schema: SynclineSchema): Schema {
  let s = cache.get(schema);
  if (!s) {
    s = new DrizzleAppSchema(schema.powersync);
    cache.set(schema, s);
  }
  return s;
}
