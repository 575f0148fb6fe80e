// `pipectl docs build` and `pipectl docs serve`: the project's catalog site. Compiles the project,
// reads the warehouse's registry when it is there (and Temporal's runs when asked), builds the
// model with @pipectl/catalog-site and writes the static site; `serve` shows it on loopback.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { CatalogModel, CheckRecord, Publication, RunRecord, SourceState } from '@pipectl/catalog-site';
import type { OpenedProject } from '@pipectl/project';
import type { Contract, ResolvedTarget } from '@pipectl/spec';
import type { Command } from 'commander';
import { type CliContext, displayPath, resolveProjectDir } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';
import { compileOrReport } from './compile-or-report.js';
import { NO_CACHE_HELP, parsePositiveInt, usesCache } from './options.js';
import { type SelectionOptions, selectedDatasets } from './selection.js';
import {
  addTemporalOptions,
  type TemporalFlags,
  temporalOptionsOf,
  temporalSettings,
  webUiUrl,
} from './temporal-options.js';

interface BuildOptions extends TemporalFlags, SelectionOptions {
  project?: string;
  cache?: boolean;
  out?: string;
  warehouse: boolean;
  runs?: boolean;
}

interface ServeOptions extends BuildOptions {
  port?: string;
  build: boolean;
}

const DEFAULT_OUT = join('.pipectl', 'docs');
/** Results per check a contract page's trend shows. */
const RESULTS_PER_CHECK = 20;

export function registerDocs(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const docs = program
    .command('docs')
    .summary('build or serve the catalog site: contracts, pipelines, column lineage, search')
    .description(
      'The catalog site of the project, as static files: a page per contract (columns, keys, PII,\n' +
        'checks with their latest results and trend, freshness, version history from the warehouse\n' +
        'registry) and per pipeline (steps, sources, schedule, last runs), a column-level lineage\n' +
        'explorer that names the consumers and owners a change reaches (the same answer as\n' +
        '`pipectl check`), and search. Works offline.',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ pipectl docs build && open .pipectl/docs/index.html
  $ pipectl docs serve                          # http://127.0.0.1:<free port>/
  $ pipectl docs build --select @mart.daily_revenue   # one corner of a large project

Docs: docs/catalog.md`,
    );

  const common = (command: Command): Command =>
    addTemporalOptions(
      command
        .option(
          '-p, --project <dir>',
          'project directory (default: the nearest directory with pipectl.yaml, else .)',
        )
        .option('-o, --out <dir>', `where the site goes (default: ${DEFAULT_OUT} in the project)`)
        .option('--no-warehouse', 'do not read the warehouse (no version history, no check results)')
        .option('--runs', "list each pipeline's last runs from Temporal (links to the web UI)")
        .option(
          '-s, --select <selector...>',
          'only pages for these datasets (graph selectors, as in `pipectl test`)',
        )
        .option('--exclude <selector...>', 'no pages for these datasets')
        .option('--no-cache', NO_CACHE_HELP),
    );

  common(docs.command('build'))
    .summary('write the catalog site')
    .description(
      'Write the catalog site into --out; open its index.html in a browser, or use `pipectl docs serve`.',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ pipectl docs build                          # .pipectl/docs/index.html
  $ pipectl docs build --out public/catalog --runs
  $ pipectl docs build --no-warehouse           # the project alone, no registry

Docs: docs/catalog.md`,
    )
    .action(async (options: BuildOptions) => {
      const built = await build(ctx, options, setExit);
      if (!built) return;
      ctx.term.out(`${ctx.paint('green', 'wrote')} ${displayPath(built.index, ctx.cwd)}\n`);
      setExit(EXIT.ok);
    });

  common(docs.command('serve'))
    .summary('build the catalog site and serve it on 127.0.0.1')
    .description(
      'Build the site (unless --no-build) and serve it on 127.0.0.1, on --port or a port the system\n' +
        'picks; prints the address and serves until interrupted (Ctrl-C).',
    )
    .option('--port <port>', 'port to listen on (default: any free port)')
    .option('--no-build', 'serve what --out holds, without building it again')
    .addHelpText(
      'after',
      `
Examples:
  $ pipectl docs serve
  $ pipectl docs serve --port 8080 --no-warehouse

Docs: docs/catalog.md`,
    )
    .action(async (options: ServeOptions) => {
      const port = options.port === undefined ? 0 : parsePort(options.port);
      const root = resolveProjectDir(options.project, ctx.cwd);
      const dir = options.out === undefined ? resolve(root, DEFAULT_OUT) : resolve(ctx.cwd, options.out);
      if (options.build) {
        const built = await build(ctx, options, setExit);
        if (!built) return;
      } else if (!existsSync(join(dir, 'index.html'))) {
        throw new UsageError(
          `PIPE8003 no catalog site in ${displayPath(dir, ctx.cwd)} (no index.html)`,
          'build it with `pipectl docs build`, or leave out --no-build',
        );
      }
      const server = await listen(dir, port);
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      ctx.term.out(`serving ${displayPath(dir, ctx.cwd)} at http://127.0.0.1:${actual}/ (Ctrl-C stops)\n`);
      await new Promise<void>((done) => {
        const stop = (): void => {
          server.close(() => done());
          server.closeAllConnections();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      setExit(EXIT.ok);
    });
}

function parsePort(value: string): number {
  const port = parsePositiveInt(value, '--port');
  if (port > 65535) throw new UsageError(`--port must be at most 65535, got "${value}"`);
  return port;
}

async function build(
  ctx: CliContext,
  options: BuildOptions,
  setExit: (code: number) => void,
): Promise<{ index: string; model: CatalogModel } | undefined> {
  const root = resolveProjectDir(options.project, ctx.cwd);
  const out = options.out === undefined ? resolve(root, DEFAULT_OUT) : resolve(ctx.cwd, options.out);
  const { openProject, connectProject } = await import('@pipectl/project');
  // Loaded and compiled once: the plan, the contracts and the registry all come from this project.
  const project = await openProject(root, { target: options.target, cache: usesCache(options) });
  const result = await compileOrReport(ctx, root, 'no docs', setExit, project);
  if (!result) return undefined;
  const only = await selectedDatasets(result.plan, options);
  const contracts = new Map<string, Contract>(
    project.loaded.contracts.map((doc) => [doc.value.name, doc.value]),
  );
  const settings = await temporalSettings(options, root, {
    lenient: true,
    projectDocument: project.loaded.projectDocument ?? null,
  });

  let publications: Map<string, readonly Publication[]> | undefined;
  let checkResults: Map<string, readonly CheckRecord[]> | undefined;
  let warehouse: SourceState = { state: 'skipped', note: 'built with --no-warehouse' };
  if (options.warehouse) {
    const read = await readRegistry(project, options.target !== undefined, contracts);
    publications = read.publications;
    checkResults = read.checkResults;
    warehouse = read.state;
    if (read.state.state !== 'read')
      ctx.term.err(`${ctx.paint('yellow', 'note')}: registry not read: ${read.state.note}\n`);
  }

  let runs: RunRecord[] | undefined;
  let temporal: SourceState = { state: 'skipped', note: 'built without --runs' };
  if (options.runs) {
    try {
      // Temporal is optional here: a target it cannot use leaves the top-level settings (lenient).
      const connected = await connectProject(root, { ...temporalOptionsOf(options), lenient: true });
      try {
        runs = await connected.list({ limit: 500 });
        temporal = { state: 'read' };
      } finally {
        await connected.close();
      }
    } catch (error) {
      temporal = { state: 'unreachable', note: error instanceof Error ? error.message : String(error) };
      ctx.term.err(`${ctx.paint('yellow', 'note')}: runs not read: ${temporal.note}\n`);
    }
  }

  const { buildCatalogModel, writeCatalogSite } = await import('@pipectl/catalog-site');
  const model = buildCatalogModel({
    plan: result.plan,
    graph: result.graph,
    contracts,
    ...(publications ? { publications } : {}),
    ...(checkResults ? { checkResults } : {}),
    warehouse,
    ...(runs ? { runs } : {}),
    temporal,
    runUrl: (runId) => webUiUrl(settings, runId),
    ...(only ? { only } : {}),
  });
  try {
    const site = await writeCatalogSite(model, out);
    return { index: site.index, model };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(
      `PIPE8002 cannot write the catalog site to ${displayPath(out, ctx.cwd)} (${code})`,
      'pass --out a folder you may write',
    );
  }
}

/**
 * Publications and check results of every dataset, when the target's warehouse exists. An embedded
 * warehouse file that is not there yet is not created; one another process holds is reported, not
 * waited for. A target that cannot be used is an error when it was named (`named`), else a note.
 */
async function readRegistry(
  project: OpenedProject,
  named: boolean,
  contracts: ReadonlyMap<string, Contract>,
): Promise<{
  publications?: Map<string, readonly Publication[]>;
  checkResults?: Map<string, readonly CheckRecord[]>;
  state: SourceState;
}> {
  const { ProjectIssuesError } = await import('@pipectl/project');
  let target: ResolvedTarget;
  try {
    target = project.target();
  } catch (error) {
    if (named || !(error instanceof ProjectIssuesError)) throw error;
    return {
      state: { state: 'unreachable', note: error.issues[0]?.message ?? 'the target cannot be used' },
    };
  }
  if (target.warehouse.kind === 'duckdb' && !existsSync(resolve(project.dir, target.warehouse.path)))
    return {
      state: { state: 'unreachable', note: `no warehouse yet at ${target.warehouse.path} (nothing ran)` },
    };
  const engine = await import('@pipectl/engine');
  let warehouse: Awaited<ReturnType<OpenedProject['openWarehouse']>>;
  try {
    warehouse = await project.openWarehouse({ readable: [] });
  } catch (error) {
    return { state: { state: 'unreachable', note: error instanceof Error ? error.message : String(error) } };
  }
  try {
    const publications = new Map<string, readonly Publication[]>();
    const checkResults = new Map<string, readonly CheckRecord[]>();
    for (const name of contracts.keys()) {
      const history = await engine.publicationHistory(warehouse, name);
      if (history.length > 0) publications.set(name, history);
      const results = await engine.checkResultHistory(warehouse, name, RESULTS_PER_CHECK);
      if (results.length > 0) checkResults.set(name, results);
    }
    return { publications, checkResults, state: { state: 'read' } };
  } finally {
    warehouse.close();
  }
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
};

/** A static file server on 127.0.0.1 for `dir`; PIPE8001 when the port is taken. */
export async function listen(dir: string, port: number): Promise<Server> {
  // Imported here: every command's start-up (and --help) would otherwise load Node's HTTP stack.
  const { createServer } = await import('node:http');
  const base = resolve(dir);
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(base, path.endsWith('/') ? `${path}index.html` : path));
    if (file !== base && !file.startsWith(base + sep)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) =>
        response
          .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
          .end(body),
      () => response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n'),
    );
  });
  return new Promise((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      fail(
        error.code === 'EADDRINUSE'
          ? new UsageError(
              `PIPE8001 port ${port} on 127.0.0.1 is in use`,
              'leave out --port (the system picks a free one), or choose another with --port <port>',
            )
          : error,
      );
    });
    server.listen(port, '127.0.0.1', () => done(server));
  });
}
