import { TestDevice } from '@syncline/test-utils';
import { testSchema } from '@syncline/test-utils/schema';
import { clientSchemaOf } from '@syncline/test-utils/stack';

export const clientSchema = clientSchemaOf(testSchema);
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
