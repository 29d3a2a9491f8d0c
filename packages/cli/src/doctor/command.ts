import { commandFailed, list, parseCommandArgs, UsageError } from '../shared/args.js';
import { noConfigMessage, resolveProject } from '../shared/project.js';
import { formatChecks, type Io, summarize } from '../shared/report.js';
import { type DoctorOptions, runDoctor } from './index.js';

const USAGE = `syncline doctor [--config syncline.config.ts] [--database-url URL] [--powersync powersync.yaml]
                [--rules sync_rules.yaml] [--api-url URL] [--jwks-url URL] [--audience a,b]
                [--sync-url URL] [--token JWT | --sign-up] [--docker] [--json]

One ✓/✗ line per check, with the exact fix under every ✗. Exit 0 all good, 1 any ✗, 2 usage error.`;

/** `syncline doctor`. */
export async function doctorCommand(argv: string[], io: Io): Promise<number> {
  let json = false;
  try {
    const { values } = parseCommandArgs(argv, {
      config: { type: 'string' },
      'database-url': { type: 'string' },
      powersync: { type: 'string' },
      rules: { type: 'string' },
      'api-url': { type: 'string' },
      'jwks-url': { type: 'string' },
      audience: { type: 'string' },
      'sync-url': { type: 'string' },
      token: { type: 'string' },
      'sign-up': { type: 'boolean' },
      docker: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    json = values.json ?? false;
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    const project = await resolveProject(values.config);
    const flags = ['database-url', 'powersync', 'rules', 'api-url', 'jwks-url', 'sync-url', 'token'] as const;
    if (!project && !flags.some((f) => values[f]) && !process.env.DATABASE_URL)
      throw new UsageError(
        `${noConfigMessage()}, or pass what to check (--database-url, --powersync, --api-url …)`,
      );
    const options: DoctorOptions = {
      ...(project ? { config: project.config, configPath: project.path } : {}),
      ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
      ...(values.powersync ? { powersyncConfig: values.powersync } : {}),
      ...(values.rules ? { rules: values.rules } : {}),
      ...(values['api-url'] ? { apiUrl: values['api-url'] } : {}),
      ...(values['jwks-url'] ? { jwksUrl: values['jwks-url'] } : {}),
      ...(values.audience ? { audience: list(values.audience) } : {}),
      ...(values['sync-url'] ? { syncUrl: values['sync-url'] } : {}),
      ...(values.token ? { token: values.token } : {}),
      ...(values['sign-up'] ? { signUp: true } : {}),
      ...(values.docker ? { docker: true } : {}),
    };
    const report = await runDoctor(options);
    if (json) io.out(JSON.stringify(report, null, 2));
    else io.out(`${formatChecks(report.checks)}\n\n${summarize(report.checks)}`);
    return report.ok ? 0 : 1;
  } catch (e) {
    return commandFailed(e, io, USAGE, { json });
  }
}
