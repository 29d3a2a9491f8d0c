import './polyfill.js';
import { createHash } from 'node:crypto';
import {
  BaseJwtPayload,
  type BucketParameterQuerier,
  DEFAULT_TAG,
  type HydratedSyncConfig,
  type RequestedStream,
  RequestParameters,
  type SourceTableRef,
  type SqliteJsonRow,
  type SqliteRow,
  SqlSyncRules,
  type SyncConfig,
  versionedHydrationState,
} from '@powersync/service-sync-rules';
import { SyncError } from '@syncline/errors';

/** A source table as the rules engine sees it. */
export interface SourceTable {
  /** `schema.name`. */
  qualifiedName: string;
  ref: SourceTableRef;
  syncsData: boolean;
  syncsParameters: boolean;
}

/** One output row of a data query. */
export interface EvaluatedRow {
  bucket: string;
  table: string;
  id: string;
  data: SqliteJsonRow;
}

/** One parameter-lookup result of a parameter query. */
export interface EvaluatedLookup {
  /** Serialised lookup, the key of the parameter index. */
  lookup: string;
  /** The bucket parameters, serialised with JSONBig. */
  params: string;
}

/** The sync request fields the rules use. */
export interface SyncRequestParameters {
  parameters?: Record<string, unknown>;
  streams?: {
    include_defaults?: boolean;
    subscriptions?: {
      stream: string;
      parameters?: Record<string, unknown> | null;
      override_priority?: number | null;
    }[];
  };
}

/**
 * Parsed and hydrated sync rules (`bucket_definitions` or edition-3 `streams`), evaluated with the official
 * `@powersync/service-sync-rules`. Bucket names carry the rules version (`<version>#name[...]`), so
 * deploying changed rules gives clients new buckets instead of checksum mismatches.
 */
export class SyncRules {
  readonly yaml: string;
  readonly hash: string;
  readonly version: number;
  readonly config: SyncConfig;
  readonly hydrated: HydratedSyncConfig;
  readonly warnings: string[];
  private readonly tables = new Map<string, SourceTable>();

  private constructor(yaml: string, version: number, config: SyncConfig, warnings: string[]) {
    this.yaml = yaml;
    this.version = version;
    this.hash = rulesHash(yaml);
    this.config = config;
    this.warnings = warnings;
    this.hydrated = config.hydrate({ hydrationState: versionedHydrationState(version) } as never);
  }

  /**
   * Parses sync rules YAML. Fatal errors throw `SYNC_RULES_INVALID` listing every problem.
   *
   * @example
   * const rules = SyncRules.parse(readFileSync('sync_rules.yaml', 'utf8'), 1);
   */
  static parse(yaml: string, version: number, options: { defaultSchema?: string } = {}): SyncRules {
    const { config, errors } = SqlSyncRules.fromYaml(yaml, {
      defaultSchema: options.defaultSchema ?? 'public',
      throwOnError: false,
    });
    const fatal = errors.filter((e) => e.type !== 'warning');
    if (fatal.length) {
      throw new SyncError(
        'SYNC_RULES_INVALID',
        `Sync rules are invalid:\n${fatal.map((e) => `  ✗ ${e.message}`).join('\n')}`,
        {
          details: { errors: fatal.map((e) => e.message) },
        },
      );
    }
    return new SyncRules(
      yaml,
      version,
      config,
      errors.map((e) => e.message),
    );
  }

  /** Source table patterns the rules read (`schema`, `name`; names may end in `%`). */
  sourcePatterns(): { schema: string; name: string; wildcard: boolean }[] {
    return this.hydrated
      .getSourceTables()
      .map((p) => ({ schema: p.schema, name: p.tablePattern, wildcard: p.isWildcard }));
  }

  /** Routing information for a source table (cached). */
  table(schema: string, name: string): SourceTable {
    const qualifiedName = `${schema}.${name}`;
    let t = this.tables.get(qualifiedName);
    if (!t) {
      const ref: SourceTableRef = { connectionTag: DEFAULT_TAG, schema, name };
      t = {
        qualifiedName,
        ref,
        syncsData: this.hydrated.tableSyncsData(ref),
        syncsParameters: this.hydrated.tableSyncsParameters(ref),
      };
      this.tables.set(qualifiedName, t);
    }
    return t;
  }

  /** Finalises custom values (timestamps) according to the rules' compatibility options. */
  applyRowContext(row: SqliteRow): SqliteRow {
    return this.hydrated.applyRowContext(row as never) as SqliteRow;
  }

  /** Data-query outputs for a row; evaluation errors are returned, not thrown. */
  evaluate(table: SourceTable, record: SqliteRow): { rows: EvaluatedRow[]; errors: string[] } {
    const { results, errors } = this.hydrated.evaluateRowWithErrors({
      sourceTable: table.ref,
      record,
    } as never);
    return {
      rows: results.map((r) => ({ bucket: r.bucket, table: r.table, id: r.id, data: r.data })),
      errors: errors.map((e) => e.error),
    };
  }

  /** Parameter-query outputs for a row. */
  evaluateParameters(
    table: SourceTable,
    record: SqliteRow,
    serialize: (v: unknown) => string,
  ): EvaluatedLookup[] {
    return this.hydrated.evaluateParameterRow(table.ref, record as never).map((r) => ({
      lookup: r.lookup.serializedRepresentation,
      params: serialize(r.bucketParameters),
    }));
  }

  /** Definitions (bucket definitions / streams) in declaration order, for checkpoint `streams`. */
  definitions(): { name: string; isDefault: boolean }[] {
    return this.hydrated.bucketSourceDefinitions.map((d) => ({
      name: d.name,
      isDefault: d.subscribedToByDefault,
    }));
  }

  /**
   * The bucket querier for one connection: static buckets now, dynamic ones through parameter lookups.
   */
  querier(
    jwtPayload: Record<string, unknown>,
    request: SyncRequestParameters,
  ): {
    querier: BucketParameterQuerier;
    errors: { descriptor: string; message: string; subscription?: number }[];
  } {
    const streams: Record<string, RequestedStream[]> = {};
    (request.streams?.subscriptions ?? []).forEach((s, i) => {
      const list = streams[s.stream] ?? [];
      streams[s.stream] = list;
      list.push({
        opaque_id: i,
        parameters: (s.parameters ?? null) as SqliteJsonRow | null,
        priorityOverride: s.override_priority ?? null,
      } as RequestedStream);
    });
    const params = new RequestParameters(
      new BaseJwtPayload(jwtPayload as never),
      (request.parameters ?? {}) as never,
    );
    const { querier, errors } = this.hydrated.getBucketParameterQuerier({
      globalParameters: params,
      hasDefaultStreams: request.streams?.include_defaults ?? true,
      streams,
    } as never);
    return {
      querier,
      errors: errors.map((e) => ({
        descriptor: e.descriptor,
        message: e.message,
        ...(e.subscription
          ? { subscription: (e.subscription as unknown as { opaque_id: number }).opaque_id }
          : {}),
      })),
    };
  }
}

/** Stable hash of rules content (whitespace-insensitive at line ends). */
export function rulesHash(yaml: string): string {
  return createHash('sha256')
    .update(yaml.replace(/[ \t]+$/gm, '').trim())
    .digest('hex')
    .slice(0, 16);
}
