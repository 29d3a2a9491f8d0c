import { stringify } from 'yaml';
import type { GenerateInputs } from './files.js';
import { PG_SETTINGS, REPLICATION_ROLE, STORAGE_DATABASE } from './setup-sql.js';

/**
 * The official PowerSync Service image the generated `powersync.yaml` is validated for: `validate.ts` checks
 * it against `@powersync/service-types` 0.17.0, which ships with `@powersync/service-core` 1.24.0 — the
 * image of the same version (per the service's changelogs). Bump both together (a test compares them).
 */
export const POWERSYNC_SERVICE_VERSION = '1.24.0';
export const POWERSYNC_SERVICE_TYPES_VERSION = '0.17.0';
export const POWERSYNC_IMAGE = `journeyapps/powersync-service:${POWERSYNC_SERVICE_VERSION}`;
export const POSTGRES_IMAGE = 'postgres:18';
export const NODE_IMAGE = 'node:20-bookworm-slim';
export const NGINX_IMAGE = 'nginx:1.27-alpine';

/** Variables of the compose file's `.env` (secrets and public URLs), with what `.env.example` says about them. */
export const ENV_VARIABLES: { name: string; example: string; about: string; secret?: boolean }[] = [
  {
    name: 'POSTGRES_PASSWORD',
    example: '',
    about: 'superuser password of the compose Postgres',
    secret: true,
  },
  {
    name: 'PS_REPLICATION_PASSWORD',
    example: '',
    about: `password of ${REPLICATION_ROLE}, the service's replication role (setup.sql creates it)`,
    secret: true,
  },
  {
    name: 'BETTER_AUTH_SECRET',
    example: '',
    about: 'signs sessions and encrypts the JWT signing key (≥ 32 characters; keep it stable)',
    secret: true,
  },
  { name: 'POWERSYNC_PUBLIC_URL', example: 'http://localhost:8080', about: 'the sync URL clients use' },
  {
    name: 'WEB_PUBLIC_URL',
    example: 'http://localhost:5173',
    about: "the web app's origin (trusted by the API)",
  },
];

/** A compose variable with a default: `${NAME:-default}`. */
const withDefault = (name: string, value: string) => `\${${name}:-${value}}`;
const required = (name: string) => `\${${name}:?set ${name} in .env (see .env.example)}`;
const probe = (url: string) => [
  'CMD',
  'node',
  '-e',
  `fetch('${url}').then((r) => process.exit(r.ok ? 0 : 1)).catch(() => process.exit(1))`,
];
const every = { interval: '10s', timeout: '5s', retries: 12, start_period: '20s' };

/**
 * `docker-compose.yml` for production: Postgres (logical replication, `setup.sql` as init script), the API
 * (`NODE_ENV=production`), the official service (pinned image, its own replication role, telemetry as the
 * yaml says), the web app built once and served by nginx. Secrets come from `.env`; every service has a
 * health check and `restart: unless-stopped`.
 */
export function dockerCompose(i: GenerateInputs): string {
  const db = i.config.database ?? 'syncline';
  const apiPort = Number(new URL(i.apiUrl).port || (i.apiUrl.startsWith('https') ? 443 : 80));
  const pg = (user: string, password: string, database: string) =>
    `postgresql://${user}:\${${password}}@postgres:5432/${database}`;
  const source = pg('postgres', 'POSTGRES_PASSWORD', db);
  const api = i.apiEntry
    ? {
        image: NODE_IMAGE,
        working_dir: '/app',
        volumes: [`${i.rootFromOut}:/app:ro`],
        command: ['node', '--import', 'tsx', i.apiEntry],
      }
    : { build: { context: i.rootFromOut } };
  const services: Record<string, unknown> = {
    postgres: {
      image: POSTGRES_IMAGE,
      restart: 'unless-stopped',
      command: ['postgres', ...Object.entries(PG_SETTINGS).flatMap(([k, v]) => ['-c', `${k}=${v}`])],
      environment: {
        POSTGRES_USER: 'postgres',
        POSTGRES_PASSWORD: required('POSTGRES_PASSWORD'),
        POSTGRES_DB: db,
        PS_REPLICATION_PASSWORD: required('PS_REPLICATION_PASSWORD'), // read by setup.sql (\getenv)
      },
      ports: ['127.0.0.1:5432:5432'],
      volumes: ['pg_data:/var/lib/postgresql', './setup.sql:/docker-entrypoint-initdb.d/10-setup.sql:ro'],
      healthcheck: { test: ['CMD-SHELL', `pg_isready -U postgres -d ${db}`], ...every },
    },
    api: {
      ...api,
      restart: 'unless-stopped',
      environment: {
        NODE_ENV: 'production',
        DATABASE_URL: source,
        HOST: '0.0.0.0',
        PORT: String(apiPort),
        BASE_URL: i.apiUrl,
        BETTER_AUTH_SECRET: required('BETTER_AUTH_SECRET'),
        POWERSYNC_URL: withDefault('POWERSYNC_PUBLIC_URL', `http://localhost:${i.port}`),
        TRUSTED_ORIGINS: withDefault('WEB_PUBLIC_URL', 'http://localhost:5173'),
      },
      ports: [`${apiPort}:${apiPort}`],
      depends_on: { postgres: { condition: 'service_healthy' } },
      healthcheck: { test: probe(`http://localhost:${apiPort}/health`), ...every },
    },
    powersync: {
      image: i.powersyncImage,
      restart: 'unless-stopped',
      command: ['start', '-r', 'unified'],
      environment: {
        NODE_ENV: 'production',
        POWERSYNC_CONFIG_PATH: '/config/powersync.yaml',
        PS_DATABASE_URL: pg(REPLICATION_ROLE, 'PS_REPLICATION_PASSWORD', db),
        PS_STORAGE_URL: pg(REPLICATION_ROLE, 'PS_REPLICATION_PASSWORD', STORAGE_DATABASE),
        PS_JWKS_URI: `http://api:${apiPort}/api/auth/jwks`,
      },
      volumes: ['./powersync.yaml:/config/powersync.yaml:ro', './sync_rules.yaml:/config/sync_rules.yaml:ro'],
      ports: [`${i.port}:${i.port}`],
      depends_on: { postgres: { condition: 'service_healthy' }, api: { condition: 'service_healthy' } },
      healthcheck: { test: probe(`http://localhost:${i.port}/probes/liveness`), ...every },
    },
  };
  const volumes: Record<string, object> = { pg_data: {} };
  if (i.webRoot) {
    // Built once into a volume (VITE_API_URL baked in), then served as static files.
    services['web-build'] = {
      image: NODE_IMAGE,
      working_dir: '/app',
      volumes: [`${i.rootFromOut}:/app:ro`, 'web_dist:/dist'],
      environment: { NODE_ENV: 'production', VITE_API_URL: i.apiUrl },
      command: ['npx', 'vite', 'build', i.webRoot, '--outDir', '/dist', '--emptyOutDir'],
      restart: 'no',
    };
    services.web = {
      image: NGINX_IMAGE,
      restart: 'unless-stopped',
      volumes: ['web_dist:/usr/share/nginx/html:ro'],
      ports: ['5173:80'],
      depends_on: { 'web-build': { condition: 'service_completed_successfully' } },
      healthcheck: { test: ['CMD', 'wget', '-q', '--spider', 'http://127.0.0.1/'], ...every },
    };
    volumes.web_dist = {};
  }
  return `# Generated by \`syncline generate\`: Postgres (logical replication), the API, the official PowerSync Service
# (${i.powersyncImage}, the version powersync.yaml is validated for)${i.webRoot ? ' and the web app' : ''}.
# cp .env.example .env, fill in the secrets, then \`docker compose up -d\`. Clients sync from POWERSYNC_PUBLIC_URL.
# The project name is this folder's (docker compose -p NAME to choose another).
${stringify({ services, volumes }, { lineWidth: 0 })}`;
}

/** `.env.example`: every variable the compose file reads, secrets empty (generate them, never commit `.env`). */
export function envExample(): string {
  const lines = [
    '# Generated by `syncline generate`: copy to .env (git-ignore it) and fill in. docker compose reads it.',
    '# Secrets: openssl rand -hex 32',
    '',
  ];
  for (const v of ENV_VARIABLES)
    lines.push(`# ${v.about}${v.secret ? ' (secret)' : ''}`, `${v.name}=${v.example}`);
  return `${lines.join('\n')}\n`;
}
