// Which workspace project may import which, and why: the one table the import-map test enforces
// and docs/contributing.md prints. Layers count up from the YAML language to the programs; a
// project may import only projects of a lower layer, and only those its row names. A new edge is
// a design decision: add it here with its reason (and to package.json), then `npm run generate`.

export interface PackageRule {
  /** Package name, as in its package.json. */
  readonly name: string;
  /** 0 = the language everything builds on; higher layers may import lower ones only. */
  readonly layer: number;
  /** What the project is, in a few words. */
  readonly role: string;
  /** Workspace packages it may import, each with the reason it needs it. */
  readonly mayImport: Readonly<Record<string, string>>;
}

export const PACKAGE_RULES: readonly PackageRule[] = [
  {
    name: '@pipectl/spec',
    layer: 0,
    role: 'the YAML language: zod schemas, loader with positions, issue codes',
    mayImport: {},
  },
  {
    name: '@pipectl/run-rules',
    layer: 0,
    role: "pure rules of a run shared by the engine's walker and the workflow: which steps start, which are skipped",
    mayImport: {},
  },
  {
    name: '@pipectl/compat',
    layer: 1,
    role: 'pure compatibility rules between two contract versions',
    mayImport: { '@pipectl/spec': 'the Contract type and column type AST it compares' },
  },
  {
    name: '@pipectl/compiler',
    layer: 1,
    role: 'loads a project, resolves references, builds the lineage graph',
    mayImport: { '@pipectl/spec': 'the documents it loads and the issues it reports' },
  },
  {
    name: '@pipectl/check',
    layer: 2,
    role: '`pipectl check --base`: contracts at a git ref against the working tree',
    mayImport: {
      '@pipectl/spec': 'contracts and issues',
      '@pipectl/compat': 'classifies each change by rule id and mode',
      '@pipectl/compiler': "reads both trees as projects and names each change's downstream",
    },
  },
  {
    name: '@pipectl/interop',
    layer: 1,
    role: 'ODCS v3 contracts in and out, dbt manifests in: pure mapping with located issues',
    mayImport: {
      '@pipectl/spec': 'the Contract it maps to and from, its loader (checks imports), issue codes',
    },
  },
  {
    name: '@pipectl/openlineage',
    layer: 2,
    role: 'OpenLineage events of runs and of the static lineage, built from the compiled plan (pure)',
    mayImport: {
      '@pipectl/compiler': 'the plan (steps, column lineage, datasets) the events describe',
    },
  },
  {
    name: '@pipectl/engine',
    layer: 2,
    role: 'DuckDB work without Temporal: extract, run steps, gate, publish',
    mayImport: {
      '@pipectl/spec': 'contracts, sources, quality checks',
      '@pipectl/compat': 'compares an observed schema with the last publication',
      '@pipectl/run-rules': "which of a pipeline's steps `runPipeline` starts and which it skips",
    },
  },
  {
    name: '@pipectl/catalog-site',
    layer: 3,
    role: 'the static catalog site of `pipectl docs`',
    mayImport: {
      '@pipectl/spec': 'contracts and pipelines it documents',
      '@pipectl/compat': 'compares each publication with the one before it',
      '@pipectl/compiler': 'the lineage graph it draws',
      '@pipectl/check': "a column's downstream, as `pipectl check` names it",
    },
  },
  {
    name: '@pipectl/runtime',
    layer: 3,
    role: 'Temporal: the run workflow, activities over the engine, worker, client helpers',
    mayImport: {
      '@pipectl/spec': 'project config and targets',
      '@pipectl/compiler': 'compiles the project a worker runs',
      '@pipectl/engine': 'the work each activity wraps',
      '@pipectl/compat':
        "a step report's consumers and its review-policy gate (the same answer `check` gives)",
      '@pipectl/openlineage': 'the OpenLineage events its lineage activity sends',
      '@pipectl/run-rules':
        'the skip rule of the workflow, the same one `pipectl test` follows (workflow-safe)',
    },
  },
  {
    name: '@pipectl/project',
    layer: 4,
    role: 'the library façade: a project opened on a target (compile, warehouse, test, lineage, history), its check against a git base, and its runs on Temporal (start, follow, list, decide), for the CLI and for programs',
    mayImport: {
      '@pipectl/spec': 'targets, issues, the error model',
      '@pipectl/compiler': 'loads and compiles the project',
      '@pipectl/engine': "the target's warehouse and its registry",
      '@pipectl/check': '`checkProject`: the contracts at a git base against the head',
      '@pipectl/runtime': "the project's Temporal settings and client: start, follow, list and decide runs",
    },
  },
  {
    name: '@pipectl/cli',
    layer: 5,
    role: 'the `pipectl` command: the only place that prints or picks an exit code',
    mayImport: {
      '@pipectl/spec': 'issues it renders',
      '@pipectl/compiler': '`compile`, `lineage`, `impact`',
      '@pipectl/check': '`check --base`',
      '@pipectl/engine': "the reports it renders, `verify --table`, the docs' registry reads",
      '@pipectl/runtime': '`run`, `approve`, `worker`, `dev`',
      '@pipectl/catalog-site': '`docs`',
      '@pipectl/interop': '`import odcs`, `import dbt`, `export odcs`',
      '@pipectl/project':
        'the library façade: `test`, `lineage`, `verify`, `docs`, `history`, `restore`, `check`, `run`, `runs`, `status`, `approve`, `deploy`, and Temporal settings',
      '@pipectl/openlineage': '`lineage --format openlineage`',
    },
  },
  {
    name: '@pipectl/e2e',
    layer: 5,
    role: 'browser end-to-end tests (Temporal web UI, catalog site)',
    mayImport: {
      '@pipectl/compiler': 'compiles the example project',
      '@pipectl/check': 'compares the lineage explorer with `impactOf`',
      '@pipectl/engine': 'reads what a run published',
      '@pipectl/runtime': 'dev server, worker and client of the approval path',
      '@pipectl/catalog-site': 'builds the site under test',
    },
  },
  {
    name: '@pipectl/bench',
    layer: 5,
    role: 'benchmarks (docs/benchmarks.md)',
    mayImport: {
      '@pipectl/spec': 'parses the generated contracts and sources',
      '@pipectl/compiler': 'the compile benchmark',
      '@pipectl/check': 'the contract-check benchmark',
      '@pipectl/engine': 'extraction, quality and orchestration benchmarks',
      '@pipectl/runtime': 'the orchestration benchmark',
      '@pipectl/catalog-site': 'the catalog-site benchmark (the 1,000-contract site in Chromium)',
    },
  },
  {
    name: '@pipectl/architecture',
    layer: 5,
    role: 'these rules, as tests',
    mayImport: {},
  },
];

/**
 * Relative imports that leave their project, each allowed with its reason. Everything else must go
 * through a package's entry point (`@pipectl/engine`, never `../../packages/engine/src/…`).
 */
export const CROSS_PROJECT_FILES: readonly { from: string; to: string; why: string }[] = [
  {
    from: '**/test/**',
    to: 'test-support/**',
    why: "the repository's shared test helpers (waiting on what a test waits for)",
  },
  {
    from: '**/vitest.config.ts',
    to: 'vitest.shared.ts',
    why: 'the shared vitest settings (outer timeouts) every project spreads',
  },
  {
    from: 'bench/extract/run.ts',
    to: 'packages/engine/test/support/postgres.ts',
    why: "the engine tests' throwaway PostgreSQL server; a test helper, not public API",
  },
  {
    from: 'bench/orchestration/run.ts',
    to: 'test-support/postgres-server.ts',
    why: 'a throwaway PostgreSQL server for the lakehouse catalog of the orchestration benchmark',
  },
];
