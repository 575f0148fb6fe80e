// The worker's compiled projects, kept between activities. Compiling (DuckDB parses every step's
// SQL) costs far more than an activity's own bookkeeping, and a run calls several activities on the
// same project, so each project is compiled once and reused while its files stay the same.
//
// "The same" is decided from what the loader looked at: the project is loaded through a recording
// ProjectFiles, which notes what each path was (file, folder, nothing), which document files each
// folder listed, and the size, times and content hash of each file read. Before reuse every answer
// is asked again: a file whose size and times are unchanged is taken as unchanged (stat only); one
// whose stats moved, or was written too recently for its times to be trusted (an edit within the
// file system's time granularity keeps them), is read and hashed. Any difference recompiles, so
// the fingerprints of a run's plan are checked against the project as it is now (ProjectChanged).
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import {
  DOCUMENT_FILE,
  type FileKind,
  fileSystemFiles,
  type ParseCache,
  type ProjectFiles,
} from '@pipectl/compiler';
import { loadRunProject, type RunProject } from './run-project.js';

/** Loads and compiles a project through `files` (loadRunProject by default). */
export type ProjectLoader = (
  dir: string,
  options: { files: ProjectFiles; parsed: ParseCache },
) => Promise<RunProject>;

export interface ProjectCacheOptions {
  /** How a project is compiled; tests count compilations through it. */
  readonly load?: ProjectLoader;
}

export interface ProjectCache {
  /** The compiled project in `dir`, compiled again only when the files it was compiled from changed. */
  get(dir: string): Promise<RunProject>;
}

/** A file whose modification time is this close to when it was recorded is hashed on every check. */
const RACY_WITHIN_MS = 2_000;

interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  /** Recorded within RACY_WITHIN_MS of its modification: stats alone cannot vouch for it. */
  racy: boolean;
  readonly hash: string;
}

/** Every answer the loader got, to ask again before reuse. */
interface Inputs {
  readonly kinds: Map<string, FileKind | undefined>;
  readonly listings: Map<string, string>;
  readonly reads: Map<string, FileStamp>;
}

interface Entry {
  readonly project: RunProject;
  readonly inputs: Inputs;
}

/**
 * @example const projects = createProjectCache(); const project = await projects.get('/srv/shop');
 */
export function createProjectCache(options: ProjectCacheOptions = {}): ProjectCache {
  const load: ProjectLoader = options.load ?? ((dir, loadOptions) => loadRunProject(dir, loadOptions));
  const entries = new Map<string, Promise<Entry>>();
  // Parse results by file text, per project: a recompilation parses only the files that changed.
  const parseCaches = new Map<string, ParseCache>();

  const compile = (dir: string): Promise<Entry> => {
    const parsed = parseCaches.get(dir) ?? new Map();
    parseCaches.set(dir, parsed);
    const { files, inputs } = recordingFiles();
    const compiling = load(dir, { files, parsed }).then((project) => ({ project, inputs }));
    entries.set(dir, compiling);
    // A project that fails to compile is not kept: the next activity tries again (and fails again
    // with the issues, or succeeds once the project is fixed).
    compiling.catch(() => {
      if (entries.get(dir) === compiling) entries.delete(dir);
    });
    return compiling;
  };

  return {
    async get(dirArgument) {
      const dir = resolve(dirArgument);
      for (;;) {
        const cached = entries.get(dir);
        if (!cached) return (await compile(dir)).project;
        const entry = await cached.catch(() => undefined);
        if (entry && (await unchanged(entry.inputs))) return entry.project;
        // Another activity may have started the recompilation while this one checked.
        if (entries.get(dir) === cached) return (await compile(dir)).project;
      }
    },
  };
}

function recordingFiles(): { files: ProjectFiles; inputs: Inputs } {
  const disk = fileSystemFiles();
  const inputs: Inputs = { kinds: new Map(), listings: new Map(), reads: new Map() };
  const files: ProjectFiles = {
    async kind(path) {
      const kind = await disk.kind(path);
      inputs.kinds.set(path, kind);
      return kind;
    },
    async list(dir) {
      const listed = await disk.list(dir);
      inputs.listings.set(dir, documentListing(listed));
      return listed;
    },
    async read(path) {
      // Stats before the text: a write in between leaves stats older than the text, which the
      // next check sees as a change (a needless hash, never a missed edit).
      const stats = await stat(path);
      const text = await readFile(path, 'utf8');
      inputs.reads.set(path, {
        size: stats.size,
        mtimeMs: stats.mtimeMs,
        ctimeMs: stats.ctimeMs,
        racy: Date.now() - stats.mtimeMs < RACY_WITHIN_MS,
        hash: hashText(text),
      });
      return text;
    },
  };
  return { files, inputs };
}

async function unchanged(inputs: Inputs): Promise<boolean> {
  const disk = fileSystemFiles();
  const checks: Promise<boolean>[] = [];
  for (const [path, kind] of inputs.kinds) checks.push(disk.kind(path).then((now) => now === kind));
  for (const [dir, listing] of inputs.listings) {
    checks.push(
      disk.list(dir).then(
        (listed) => documentListing(listed) === listing,
        () => false,
      ),
    );
  }
  for (const [path, stamp] of inputs.reads) checks.push(fileUnchanged(path, stamp));
  return (await Promise.all(checks)).every(Boolean);
}

async function fileUnchanged(path: string, stamp: FileStamp): Promise<boolean> {
  try {
    const stats = await stat(path);
    const sameStats =
      stats.size === stamp.size && stats.mtimeMs === stamp.mtimeMs && stats.ctimeMs === stamp.ctimeMs;
    if (sameStats && !stamp.racy) return true;
    if (stats.size !== stamp.size) return false;
    if (hashText(await readFile(path, 'utf8')) !== stamp.hash) return false;
    // Same text: trust the new stats from now on (once they are old enough to be trusted).
    stamp.mtimeMs = stats.mtimeMs;
    stamp.ctimeMs = stats.ctimeMs;
    stamp.racy = Date.now() - stats.mtimeMs < RACY_WITHIN_MS;
    return true;
  } catch {
    return false;
  }
}

/** The document files of a listing (other files in the folder, such as data, do not matter). */
function documentListing(listed: readonly string[]): string {
  return listed
    .filter((path) => DOCUMENT_FILE.test(basename(path)))
    .sort()
    .join('\n');
}

function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
