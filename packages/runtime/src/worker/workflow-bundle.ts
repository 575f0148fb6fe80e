// The pipectl workflows, bundled for the worker's sandbox once and kept in a file: webpack costs a
// second or two, so a worker start reuses the bundle of the same workflow sources and SDK version.
// The file name carries a hash of both, so a changed workflow (or an SDK upgrade) bundles afresh.
// Workflow code may import the workspace's workflow-safe packages (WORKFLOW_PACKAGES): bundled from
// their sources when the workflows run from source, from their build otherwise, and hashed too.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

/** webpack's configuration, as bundleWorkflowCode's hook receives it. */
type WebpackConfiguration = Parameters<
  NonNullable<Parameters<typeof bundleWorkflowCode>[0]['webpackConfigHook']>
>[0];

export interface WorkflowBundleOptions {
  /** Folder the bundle is kept in; `<cwd>/.pipectl/cache` by default. */
  readonly cacheDir?: string;
}

export interface WorkflowBundleFile {
  /** For `Worker.create({ workflowBundle: { codePath } })`. */
  readonly codePath: string;
  /** False when the file was there already. */
  readonly built: boolean;
}

const PREFIX = 'workflow-bundle-';
/** Bundles of other versions older than this are removed when a new one is written. */
const STALE_MS = 24 * 60 * 60 * 1000;

/**
 * Returns the path of the bundled pipectl workflows, bundling them first when no file for the
 * current sources exists. Concurrent callers may both bundle; the file is replaced atomically.
 * @example const { codePath } = await prebundleWorkflows({ cacheDir: '.pipectl/cache' });
 */
export async function prebundleWorkflows(options: WorkflowBundleOptions = {}): Promise<WorkflowBundleFile> {
  const cacheDir = resolve(options.cacheDir ?? join(process.cwd(), '.pipectl', 'cache'));
  const entry = workflowsEntry();
  const codePath = join(cacheDir, `${PREFIX}${workflowSourcesHash(dirname(entry))}.js`);
  if (existsSync(codePath)) return { codePath, built: false };

  const { code } = await bundleWorkflowCode({
    workflowsPath: entry,
    logger: new DefaultLogger('WARN'),
    webpackConfigHook: (config) => (entry.endsWith('.ts') ? fromSources(config) : config),
  });
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${codePath}.${process.pid}.tmp`;
  writeFileSync(partial, code);
  renameSync(partial, codePath);
  removeStaleBundles(cacheDir, codePath);
  return { codePath, built: true };
}

/** The workflows' entry module: `workflows/index.ts` beside this package's sources (`.js` when built). */
export function workflowsEntry(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = ['index.ts', 'index.js'].map((name) => join(here, '..', 'workflows', name));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`the pipectl workflows are missing: none of ${candidates.join(', ')} exists`);
  return found;
}

/** Workspace packages the workflow code imports: pure, behind no wall (docs/contributing.md). */
export const WORKFLOW_PACKAGES: readonly string[] = ['@pipectl/run-rules'];

/**
 * Workflows run from source (tests, tsx) bundle the workspace packages from source too, through
 * the `@pipectl/source` export condition, as vitest and tsx resolve them.
 */
function fromSources(config: WebpackConfiguration): WebpackConfiguration {
  return { ...config, resolve: { ...config.resolve, conditionNames: ['@pipectl/source', '...'] } };
}

/**
 * Hash of every source file in the workflows folder, of the workspace packages it imports, and of
 * the SDK packages bundled with them.
 */
export function workflowSourcesHash(workflowsDir: string): string {
  const hash = createHash('sha256');
  const require = createRequire(import.meta.url);
  for (const pkg of ['@temporalio/workflow', '@temporalio/common', '@temporalio/worker']) {
    const manifest = JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as {
      version: string;
    };
    hash.update(`${pkg}@${manifest.version}\n`);
  }
  for (const file of listSources(workflowsDir)) {
    hash.update(`${file.slice(workflowsDir.length)}\n`);
    hash.update(readFileSync(file));
  }
  for (const pkg of WORKFLOW_PACKAGES) {
    const dir = packageDir(pkg);
    for (const folder of ['src', 'dist'].map((name) => join(dir, name)).filter((path) => existsSync(path))) {
      for (const file of listSources(folder)) {
        hash.update(`${pkg}${file.slice(dir.length)}\n`);
        hash.update(readFileSync(file));
      }
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/** The folder of an installed package, found as Node finds it (its exports may not expose package.json). */
function packageDir(pkg: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const found = (createRequire(import.meta.url).resolve.paths(pkg) ?? [])
    .map((modules) => join(modules, pkg))
    .find((dir) => existsSync(join(dir, 'package.json')));
  if (!found) throw new Error(`${pkg}, which the pipectl workflows import, is not installed beside ${here}`);
  return found;
}

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(
      (entry) => entry.isFile() && /\.(ts|js|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts'),
    )
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function removeStaleBundles(cacheDir: string, keep: string): void {
  for (const name of readdirSync(cacheDir)) {
    const file = join(cacheDir, name);
    if (!name.startsWith(PREFIX) || file === keep) continue;
    try {
      if (Date.now() - statSync(file).mtimeMs > STALE_MS) unlinkSync(file);
    } catch {
      // Another worker removed or replaced it meanwhile.
    }
  }
}
