import { DrizzleAppSchema } from '@powersync/drizzle-driver';
import { schema } from '@syncline/example-notes/schema';
import { TestDevice } from '@syncline/test-utils';

export const clientSchema = new DrizzleAppSchema(schema.powersync);

/** A fresh official client (its own SQLite file) for `endpoint`. */
export async function freshDevice(
  name: string,
  endpoint: string,
  token: () => Promise<string>,
  upload?: TestDevice extends never ? never : Parameters<typeof TestDevice.open>[0]['upload'],
  connectionMethod: 'http' | 'web-socket' = 'http',
): Promise<TestDevice> {
  return TestDevice.open({
    name,
    schema: clientSchema,
    credentials: async () => ({ endpoint, token: await token() }),
    retryDelayMs: 1000,
    connectionMethod,
    ...(upload ? { upload } : {}),
  });
}
