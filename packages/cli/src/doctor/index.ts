import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { redactUrl } from '@syncline/postgres';
import { parseSyncRules, rulesSourceTables, toSyncRules } from '@syncline/schema';
import type { LoadedConfig } from '@syncline/sync-server';
import pg from 'pg';
import { embeddedDatabaseUrl } from '../shared/project.js';
import { type CheckResult, fetchWithTimeout } from '../shared/report.js';
import {
  type AuthExpectation,
  jwksChecks,
  removeThrowawayUser,
  type ThrowawayUser,
  throwawayUser,
  tokenChecks,
} from './auth.js';
import type { DoctorOptions, DoctorReport } from './options.js';
import { publicationCheck, settingsChecks, slotChecks, storagePublishedCheck } from './postgres.js';
import { definitionsDrift, definitionsVsDatabase, liveColumns, rulesAgainstDatabase } from './schema.js';
import { serviceConfigChecks } from './service-config.js';
import { sharingChecks } from './sharing.js';

export type { DoctorOptions, DoctorReport } from './options.js';

/**
 * Checks a Syncline setup end to end — Postgres replication settings, publication, slots, sync rules
 * against the live columns, schema agreement, sharing (rules deliver what the definitions share; lookup
 * index; roles), JWKS and token — and gives the exact fix for every ✗.
 *
 * @example
 * const report = await runDoctor({ config, databaseUrl, apiUrl: 'http://localhost:3000', signUp: true });
 * if (!report.ok) process.exitCode = 1;
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  const { config } = options;
  const checks: CheckResult[] = [];
  const serviceConfigPath = options.powersyncConfig ?? config?.syncServer?.config;
  let service: LoadedConfig | undefined;
  if (config && options.configPath)
    checks.push({ name: 'config', status: 'ok', detail: relativeToCwd(options.configPath) });
  if (serviceConfigPath) {
    const result = serviceConfigChecks(serviceConfigPath, env, config, options.apiUrl ?? config?.api?.url);
    service = result.service;
    checks.push(...result.checks);
  }

  // ── sync rules ──
  let rules: { yaml: string; source: string } | undefined;
  if (options.rules) rules = { yaml: readFileSync(options.rules, 'utf8'), source: options.rules };
  else if (service)
    rules = { yaml: service.syncRules, source: service.syncRulesPath ?? 'powersync.yaml sync_rules' };
  else if (config)
    rules = {
      yaml: toSyncRules(config.schema, config.syncRules ?? {}),
      source: 'the rules generated from the definitions',
    };
  let ruleTables: string[] = config?.schema.synced.map((t) => t.name) ?? [];
  if (rules) {
    try {
      ruleTables = rulesSourceTables(parseSyncRules(rules.yaml).config);
    } catch {
      // reported by the rules check below
    }
  }

  // ── Postgres ──
  const databaseUrl =
    options.databaseUrl ||
    env.DATABASE_URL ||
    service?.databaseUrl ||
    (config ? embeddedDatabaseUrl(config, env) : undefined);
  if (!databaseUrl) {
    checks.push({
      name: 'postgres',
      status: 'skip',
      detail: 'no database: pass --database-url or set DATABASE_URL',
    });
  } else {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
    let connected = false;
    try {
      await client.connect();
      connected = true;
    } catch (e) {
      const host = (() => {
        try {
          return new URL(databaseUrl).hostname;
        } catch {
          return '';
        }
      })();
      checks.push({
        name: 'postgres',
        status: 'fail',
        code: 'PG_CONNECTION_FAILED',
        detail: `cannot connect to ${redactUrl(databaseUrl)}: ${(e as Error).message}`,
        fix:
          host && !host.includes('.') && host !== 'localhost'
            ? `${host} is a Docker-internal host name: pass --database-url with the host-side URL (e.g. localhost:5432)`
            : 'Start Postgres (npm start), or pass --database-url / DATABASE_URL',
      });
    }
    if (connected) {
      try {
        const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
        checks.push({
          name: 'postgres',
          status: 'ok',
          detail: `${redactUrl(databaseUrl)} (PostgreSQL ${rows[0]?.server_version ?? '?'})`,
        });
        checks.push(...(await settingsChecks(client)));
        checks.push(await publicationCheck(client, config?.publication ?? 'powersync', ruleTables));
        checks.push(await storagePublishedCheck(client, config?.publication ?? 'powersync', ruleTables));
        checks.push(...(await slotChecks(client)));
        const live = await liveColumns(client);
        if (rules)
          checks.push(
            rulesAgainstDatabase(rules.yaml, live, {
              rulesSource: rules.source,
              ...(config ? { schema: config.schema } : {}),
            }),
          );
        if (config) checks.push(definitionsVsDatabase(config.schema, live));
        if (config) checks.push(...(await sharingChecks(client, config.schema, live, rules)));
      } finally {
        await client.end();
      }
    }
  }
  if (config && rules) checks.push(definitionsDrift(config.schema, rules.yaml));
  else if (!config)
    checks.push({
      name: 'client vs server definitions',
      status: 'skip',
      detail: 'no syncline.config.ts (pass --config)',
    });

  // ── auth ──
  const apiUrl = options.apiUrl ?? config?.api?.url;
  const jwksUri =
    options.jwksUrl ??
    firstOf(service?.auth.jwksUri) ??
    (apiUrl ? `${trim(apiUrl)}/api/auth/jwks` : undefined);
  const audience =
    options.audience ??
    (service ? toList(service.auth.audience) : apiUrl ? [new URL(apiUrl).origin] : undefined);
  if (!jwksUri || !audience?.length) {
    checks.push({
      name: 'auth',
      status: 'skip',
      detail: 'no JWKS/audience: pass --api-url, --powersync powersync.yaml, or --jwks-url and --audience',
    });
  } else {
    const source = options.audience
      ? '--audience'
      : service
        ? 'powersync.yaml client_auth'
        : '--api-url (BetterAuth default aud)';
    const expect: AuthExpectation = { jwksUri, audience, source, fromDocker: options.docker ?? false };
    const jwks = await jwksChecks(expect, apiUrl);
    checks.push(...jwks.checks);
    let token = options.token;
    let throwaway: ThrowawayUser | undefined;
    if (!token && options.signUp && apiUrl) {
      try {
        throwaway = await throwawayUser(trim(apiUrl));
        token = throwaway.token;
      } catch (e) {
        checks.push({
          name: 'JWT',
          status: 'fail',
          code: 'AUTH_INVALID_SESSION',
          detail: (e as Error).message,
          fix: 'Start the API, or pass --token <jwt from GET /api/auth/token>',
        });
      }
    }
    if (token && jwks.algs.length) {
      checks.push(...(await tokenChecks(token, expect, jwks.url)));
    } else if (!token) {
      checks.push({
        name: 'JWT audience',
        status: 'warn',
        detail: `not checked: no token (expected aud ${audience.join(', ')})`,
        fix: 'Pass --token <jwt> or --sign-up (creates a throwaway user through the API)',
      });
    }
    if (throwaway && apiUrl)
      checks.push(
        await removeThrowawayUser(trim(apiUrl), throwaway, databaseUrl, async (url) => {
          const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
          await c.connect();
          return c;
        }),
      );
  }

  // ── sync server ──
  const syncUrl = options.syncUrl ?? config?.syncServer?.url;
  if (syncUrl) {
    try {
      const res = await fetchWithTimeout(`${trim(syncUrl)}/probes/liveness`);
      checks.push(
        res.ok
          ? { name: 'sync server', status: 'ok', detail: `${syncUrl} is live` }
          : {
              name: 'sync server',
              status: 'fail',
              code: 'SYNC_NOT_READY',
              detail: `${syncUrl}/probes/liveness answered ${res.status}`,
              fix: 'Check the sync server logs (replication may have stopped)',
            },
      );
    } catch (e) {
      checks.push({
        name: 'sync server',
        status: 'fail',
        code: 'CLIENT_NETWORK',
        detail: (e as Error).message,
        fix: 'Start the sync server (syncline-sync-server --config powersync.yaml, or docker compose up powersync)',
      });
    }
  }
  return { ok: !checks.some((c) => c.status === 'fail'), checks };
}

const relativeToCwd = (p: string) => relative(process.cwd(), p) || p;

const trim = (u: string) => u.replace(/\/+$/, '');
const toList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const firstOf = (v: string | string[] | undefined) => toList(v)[0];
