// @powersync/service-sync-rules' declarations import `nil` from pgsql-ast-parser's TypeScript sources,
// which do not compile under this repo's settings. This stub provides the one type they need.
export type nil = undefined | null;
