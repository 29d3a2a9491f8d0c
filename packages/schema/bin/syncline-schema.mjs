#!/usr/bin/env node
// Loads TypeScript schema modules through tsx, then runs the schema CLI.
import { register } from 'tsx/esm/api';

register();
const { runSchemaCli } = await import('../src/cli/index.ts');
process.exitCode = await runSchemaCli(process.argv.slice(2));
