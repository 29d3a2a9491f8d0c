/**
 * Node 20 lacks `Object.groupBy` / `Map.groupBy`, which edition-3 sync streams use inside
 * `@powersync/service-sync-rules`. Installed once, before the rules are parsed.
 */
type GroupBy = <T, K extends PropertyKey>(
  items: Iterable<T>,
  key: (item: T, index: number) => K,
) => Record<K, T[]>;
type MapGroupBy = <T, K>(items: Iterable<T>, key: (item: T, index: number) => K) => Map<K, T[]>;

const O = Object as unknown as { groupBy?: GroupBy };
if (typeof O.groupBy !== 'function') {
  O.groupBy = (items, key) => {
    const out = Object.create(null);
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      if (!out[k]) out[k] = [];
      out[k].push(item);
    }
    return out;
  };
}
const M = Map as unknown as { groupBy?: MapGroupBy };
if (typeof M.groupBy !== 'function') {
  M.groupBy = (items, key) => {
    const out = new Map();
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      const list = out.get(k);
      if (list) list.push(item);
      else out.set(k, [item]);
    }
    return out;
  };
}

export {};
