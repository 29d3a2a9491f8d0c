import { SyncError } from '@syncline/errors';
import { validateServiceConfigFile } from '@syncline/schema/service-config/official';
import { type LoadedConfig, loadPowerSyncConfig } from '@syncline/sync-server';
import type { SynclineConfig } from '../config/index.js';
import { STORAGE_DATABASE } from '../generate/files.js';
import type { CheckResult } from '../shared/report.js';

/**
 * Checks the sync server's `powersync.yaml`: its `!env` variables are set, Syncline's sync server loads it, and
 * the official PowerSync Service schema accepts it. Returns the loaded config when it loads.
 */
export function serviceConfigChecks(
  path: string,
  env: NodeJS.ProcessEnv,
  config: SynclineConfig | undefined,
  apiUrl: string | undefined,
): { service: LoadedConfig | undefined; checks: CheckResult[] } {
  const checks: CheckResult[] = [];
  let service: LoadedConfig | undefined;
  const official = validateServiceConfigFile(path, env);
  if (official.unresolved.length) {
    // Nothing else can load it until its !env variables are set: say which, as shell lines.
    checks.push({
      name: 'powersync.yaml',
      status: 'fail',
      code: 'CONFIG_MISSING_ENV',
      detail: `${path} uses !env ${official.unresolved.join(', ')}, not set here`,
      fix: official.unresolved.map((v) => `export ${v}=${exampleValue(v, config, apiUrl)}`).join('\n'),
    });
  } else {
    try {
      service = loadPowerSyncConfig(path, env);
      checks.push({ name: 'powersync.yaml', status: 'ok', detail: `${path} loads` });
    } catch (e) {
      const err = SyncError.from(e);
      checks.push({
        name: 'powersync.yaml',
        status: 'fail',
        code: err.code,
        detail: err.message.split('\n')[0]!,
        fix: `Fix ${path}, or regenerate it: npx syncline generate --force`,
      });
    }
    checks.push(
      official.errors.length
        ? {
            name: 'powersync.yaml (official)',
            status: 'fail',
            code: 'CONFIG_INVALID_FILE',
            detail: official.errors.join('; '),
            fix: 'Regenerate it: npx syncline generate --out <dir>',
          }
        : {
            name: 'powersync.yaml (official)',
            status: 'ok',
            detail: 'valid for journeyapps/powersync-service',
          },
    );
  }
  return { service, checks };
}

/** A value to start from for a `!env` variable of the generated powersync.yaml. */
function exampleValue(name: string, config: SynclineConfig | undefined, apiUrl: string | undefined): string {
  const db = config?.database ?? 'syncline';
  const role = 'powersync_role:$PS_REPLICATION_PASSWORD@localhost:5432';
  switch (name) {
    case 'PS_DATABASE_URL':
      return `"postgresql://${role}/${db}"`;
    case 'PS_STORAGE_URL':
      return `"postgresql://${role}/${STORAGE_DATABASE}"`;
    case 'PS_JWKS_URI':
      return `${(apiUrl ?? 'http://localhost:3000').replace(/\/+$/, '')}/api/auth/jwks`;
    default:
      return '…';
  }
}
