import type { ScalarTag } from 'yaml';

/** The names a `!env` tag may read: the official PowerSync Service substitutes `PS_*` variables only. */
export const ENV_PREFIX = 'PS_';

/** What the `!env` tags of one file used, found unset, and got wrong. */
export interface EnvUse {
  /** Every variable a tag names, in order of first use. */
  variables: Set<string>;
  /** Variables that are unset or empty (the service would substitute `''`, which no setting takes). */
  unresolved: Set<string>;
  /** Tags the service would refuse: a name without `PS_`, an unknown `::type`, a value that is not one. */
  errors: string[];
}

/** A stand-in for an unset variable, so a file can still be checked: the type's sample, or `${NAME}`. */
function placeholder(name: string, type: string): string | number | boolean {
  return type === 'number' ? 8080 : type === 'boolean' ? false : `\${${name}}`;
}

/**
 * The `!env` YAML tag, as the official PowerSync Service reads it: `!env PS_NAME` is the variable's string,
 * `!env PS_NAME::number` a number, `!env PS_NAME::boolean` `true`/`false` (any case). Only `PS_*` names.
 * Unset (or empty) variables are recorded in `use.unresolved` and replaced by a placeholder; the caller decides
 * (the sync server refuses to start, `doctor` prints the `export` lines).
 *
 * @example
 * const use = newEnvUse();
 * parseDocument(text, { customTags: [envTag(process.env, use)] });
 */
export function envTag(env: NodeJS.ProcessEnv, use: EnvUse): ScalarTag {
  return {
    tag: '!env',
    resolve(value: string) {
      const [name = '', type = 'string', ...rest] = value.trim().split('::');
      use.variables.add(name);
      if (!name.startsWith(ENV_PREFIX)) {
        use.errors.push(
          `!env ${name}: the PowerSync Service only substitutes variables starting with ${ENV_PREFIX}`,
        );
        return value;
      }
      if (rest.length || !['string', 'number', 'boolean'].includes(type)) {
        use.errors.push(
          `!env ${value.trim()}: the type must be ::number or ::boolean (or none for a string)`,
        );
        return value;
      }
      const raw = env[name];
      if (raw === undefined || raw === '') {
        use.unresolved.add(name);
        return placeholder(name, type);
      }
      if (type === 'number') {
        const n = Number(raw);
        if (Number.isNaN(n)) use.errors.push(`!env ${name}::number: "${raw}" is not a number`);
        return n;
      }
      if (type === 'boolean') {
        const lower = raw.toLowerCase();
        if (lower !== 'true' && lower !== 'false')
          use.errors.push(`!env ${name}::boolean: "${raw}" is not true or false`);
        return lower === 'true';
      }
      return raw;
    },
  };
}

/** An empty {@link EnvUse}. */
export function newEnvUse(): EnvUse {
  return { variables: new Set(), unresolved: new Set(), errors: [] };
}
