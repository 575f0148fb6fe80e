// Links the compiled CLI (dist/main.js, from `tsc -b`) and what it imports into a few ESM files in
// dist/bundle/, which bin/pipectl.mjs runs. Why: on Node 20 (no module compile cache) resolving and
// loading ~400 small modules cost more than the commands' own work; one file per lazily imported
// command group loads in a fraction of that. Part of `build`, so nx rebuilds it with dist/.
//
// Left outside the bundle, loaded from node_modules as before: packages that find files next to
// their own code (the runtime's workflow sources, the engine's tools folder, the catalog site's
// assets), DuckDB (a native library) and Temporal. Whatever the bundled code imports from these
// must be a dependency of @pipectl/cli, so it resolves from here when the CLI is installed.
//   node scripts/bundle.mjs
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const here = join(import.meta.dirname, '..');
const outdir = join(here, 'dist', 'bundle');

const EXTERNAL = [
  '@duckdb/*',
  '@temporalio/*',
  '@pipectl/runtime',
  '@pipectl/engine',
  '@pipectl/catalog-site',
  // Loaded with createRequire on first use: by the spec when rows are validated, by the compat
  // rules when a column's pattern changed.
  'ajv',
  'fast-check',
];

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(here, 'dist', 'main.js')],
  outdir,
  bundle: true,
  // Each `await import()` of a command stays its own file, loaded only when that command runs.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // Bundled CommonJS packages call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __pipectlRequire } from 'node:module';\nconst require = __pipectlRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
});
