// The I/O edge of the compiler: reads a project directory (pipectl.yaml, contracts, pipelines and
// the .sql files steps point at) into data. Every file is read and parsed, and every problem is
// collected, so one run reports them all. compileProject() takes what this returns. Files come
// through a ProjectFiles (the file system unless told otherwise), so a git revision loads the same way.
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import {
  type AllowedSigner,
  API_VERSION,
  type ContractDocument,
  type Issue,
  type ParseResult,
  type PipelineDocument,
  type Project,
  type ProjectDocument,
  parseAllowedSigners,
  parseDocument,
  projectSchema,
  sortIssues,
} from '@pipectl/spec';
import { type CompileCache, openCompileCache } from '../cache/compile-cache.js';
import { compareText } from '../support/compare-text.js';
import { findDocumentFiles } from './find-document-files.js';
import { fileSystemFiles, ListingError, type ProjectFiles } from './project-files.js';

export const PROJECT_FILE = 'pipectl.yaml';

/** The SQL of one step, inline or read from its `sqlFile`. */
export interface StepSql {
  readonly text: string;
  /** Project-relative file the text is in: the pipeline file, or the .sql file. */
  readonly file: string;
  readonly fromFile: boolean;
}

export interface LoadedProject {
  /** Absolute path of the project directory. */
  readonly root: string;
  /** Settings with defaults applied; `name` defaults to the directory's name. */
  readonly project: Project;
  /** `pipectl.yaml` when the project has one. */
  readonly projectFile?: string;
  /** The parsed `pipectl.yaml`, for issues found later at a place in it. */
  readonly projectDocument?: ProjectDocument;
  readonly contracts: readonly ContractDocument[];
  readonly pipelines: readonly PipelineDocument[];
  /** SQL of every step, keyed by `stepKey(pipeline, step)`. */
  readonly sql: ReadonlyMap<string, StepSql>;
  /**
   * The approvers' public keys (`approvals.allowedSigners`), read only when the project requires
   * signed approvals (`approvals.signatures: required`); absent otherwise.
   */
  readonly signers?: readonly AllowedSigner[];
  /**
   * Names declared by files that did not load (their issues say why), so the compiler does not
   * report every reference to them as unknown too.
   */
  readonly unloaded: { readonly contracts: ReadonlySet<string>; readonly pipelines: ReadonlySet<string> };
  readonly issues: readonly Issue[];
  /**
   * The project's compile cache when loaded with `cache`: compileProject() answers SQL from it too.
   * Whoever asked for it saves it (`await loaded.cache?.save()`) after compiling.
   */
  readonly cache?: CompileCache;
}

/**
 * Parse results by project-relative file, reused while a file's text is unchanged. Loading two
 * revisions of a project with one cache parses only the files that differ.
 */
export type ParseCache = Map<string, { readonly text: string; readonly result: ParseResult }>;

export interface LoadOptions {
  /** Where the files come from (default: the file system). */
  readonly files?: ProjectFiles;
  /** Parse results to reuse and to fill; see ParseCache. */
  readonly parsed?: ParseCache;
  /**
   * The persistent compile cache under `<dir>/.pipectl/cache/`: `true` opens the project's (and
   * returns it as `LoadedProject.cache`), a cache from an earlier load shares it (two revisions of
   * one project). Off by default: a library call writes nothing into the project unless asked.
   */
  readonly cache?: boolean | CompileCache;
}

/** The key of a step in `LoadedProject.sql` and in the lineage graph: `pipeline/step`. */
export function stepKey(pipeline: string, step: string): string {
  return `${pipeline}/${step}`;
}

/**
 * Reads a project directory. Never throws for bad input: problems come back as issues.
 * @example const loaded = await loadProject('examples/shop'); loaded.issues // []
 */
export async function loadProject(dir: string, options: LoadOptions = {}): Promise<LoadedProject> {
  const files = options.files ?? fileSystemFiles();
  const root = resolve(dir);
  const cache = options.cache === true ? await openCompileCache(root) : options.cache || undefined;
  const parse = cachedParser(options.parsed, cache);
  const kindOf = (path: string) => files.kind(path);
  const read = (path: string, name: string, issues: Issue[], at?: Pick<Issue, 'file' | 'path' | 'span'>) =>
    readText(files, path, name, issues, at);
  const issues: Issue[] = [];
  const rel = (path: string): string => relative(root, path).split(sep).join('/');
  const defaults = projectSchema.parse({ apiVersion: API_VERSION, kind: 'Project', name: basename(root) });
  const empty = (): LoadedProject => ({
    root,
    project: defaults,
    contracts: [],
    pipelines: [],
    sql: new Map(),
    unloaded: { contracts: new Set(), pipelines: new Set() },
    issues: sortIssues(issues),
  });

  if ((await kindOf(root)) !== 'directory') {
    issues.push(noProject(dir, `no project at "${dir}": the directory does not exist`));
    return empty();
  }

  const { project, projectDocument, projectFile } = await readProjectFile(
    root,
    files,
    parse,
    defaults,
    issues,
  );

  const settingAt = (key: FolderKey): Pick<Issue, 'file' | 'path' | 'span'> =>
    projectDocument
      ? { file: PROJECT_FILE, path: [key], span: projectDocument.sourceMap.spanOf([key]) }
      : { file: PROJECT_FILE, path: [key] };
  const folderKeys = projectFolders(root, project, settingAt, issues);
  const existing: string[] = [];
  for (const folder of folderKeys.keys()) if ((await kindOf(folder)) === 'directory') existing.push(folder);
  if (existing.length === 0 && projectFile === undefined) {
    issues.push(
      noProject(
        dir,
        `no project in "${dir}": it has no ${PROJECT_FILE} and no "${project.contracts}" or "${project.pipelines}" folder`,
      ),
    );
    return empty();
  }

  const listFolder = async (folder: string): Promise<string[]> => {
    try {
      return await findDocumentFiles(files, folder);
    } catch (error) {
      if (!(error instanceof ListingError)) throw error;
      const key = folderKeys.get(folder) ?? 'contracts';
      issues.push(listingIssue(error, key, rel, settingAt(key)));
      return [];
    }
  };
  const documentFiles = [...new Set((await Promise.all(existing.map(listFolder))).flat())].sort((a, b) =>
    compareText(rel(a), rel(b)),
  );
  const texts = await Promise.all(documentFiles.map((file) => read(file, rel(file), issues)));

  const { contracts, pipelines, unloaded } = sortDocuments(
    documentFiles.map((file, index) => ({ name: rel(file), text: texts[index] })),
    parse,
    issues,
  );

  // Read concurrently, then keep the first entry per key in file order (duplicate pipelines).
  const entries = await Promise.all(
    pipelines.map((pipeline) =>
      Promise.all(
        pipeline.value.steps.map((_, index) => stepSql(pipeline, index, { root, rel, files, issues })),
      ),
    ),
  );
  const sql = new Map<string, StepSql>();
  pipelines.forEach((pipeline, p) => {
    pipeline.value.steps.forEach((step, s) => {
      const entry = entries[p]?.[s];
      const key = stepKey(pipeline.value.name, step.name);
      if (entry && !sql.has(key)) sql.set(key, entry);
    });
  });

  const signers =
    project.approvals?.signatures === 'required'
      ? await loadSigners({ root, rel, files, issues, project, projectDocument })
      : undefined;

  return {
    root,
    project,
    ...(signers ? { signers } : {}),
    ...(projectFile ? { projectFile } : {}),
    ...(projectDocument ? { projectDocument } : {}),
    contracts,
    pipelines,
    sql,
    unloaded,
    issues: sortIssues(issues),
    ...(cache ? { cache } : {}),
  };
}

/** pipectl.yaml, when there is one: its settings (the defaults when absent or unreadable) and its document. */
async function readProjectFile(
  root: string,
  files: ProjectFiles,
  parse: (file: string, text: string) => ParseResult,
  defaults: Project,
  issues: Issue[],
): Promise<{ project: Project; projectDocument?: ProjectDocument; projectFile?: string }> {
  const projectPath = resolve(root, PROJECT_FILE);
  if ((await files.kind(projectPath)) !== 'file') return { project: defaults };
  const projectFile = PROJECT_FILE;
  const text = await readText(files, projectPath, PROJECT_FILE, issues);
  if (text === undefined) return { project: defaults, projectFile };
  const parsed = parse(PROJECT_FILE, text);
  issues.push(...parsed.issues);
  if (parsed.document?.kind === 'Project')
    return { project: parsed.document.value, projectDocument: parsed.document, projectFile };
  if (parsed.document) {
    issues.push({
      code: 'PIPE1003',
      severity: 'error',
      message: `${PROJECT_FILE} holds a ${parsed.document.kind}, not the project settings`,
      file: PROJECT_FILE,
      path: ['kind'],
      span: parsed.document.sourceMap.spanOf(['kind']),
      expected: 'kind: Project',
      hint: `move the ${parsed.document.kind} into its own file and write \`kind: Project\` here`,
    });
  }
  return { project: defaults, projectFile };
}

/** The contracts and pipelines folders by absolute path (first key wins), with PIPE2012 for one outside the project. */
function projectFolders(
  root: string,
  project: Project,
  settingAt: (key: FolderKey) => Pick<Issue, 'file' | 'path' | 'span'>,
  issues: Issue[],
): Map<string, FolderKey> {
  const folderKeys = new Map<string, FolderKey>();
  for (const key of FOLDER_KEYS) {
    const folder = resolve(root, project[key]);
    const inside = relative(root, folder);
    if (inside.startsWith('..') || isAbsolute(inside)) {
      issues.push({
        code: 'PIPE2012',
        severity: 'error',
        message: `${key} folder "${project[key]}" is outside the project directory (${folder === '/' ? 'the whole disk' : folder})`,
        ...settingAt(key),
        expected: 'a folder inside the project, relative to pipectl.yaml',
        hint: `write a relative path such as \`${key}: ${key}\` and keep the ${key} inside the project`,
      });
    } else if (!folderKeys.has(folder)) folderKeys.set(folder, key);
  }
  return folderKeys;
}

/** Parses the document files into contracts and pipelines; names what failed to parse as unloaded. */
function sortDocuments(
  documents: readonly { name: string; text: string | undefined }[],
  parse: (file: string, text: string) => ParseResult,
  issues: Issue[],
): {
  contracts: ContractDocument[];
  pipelines: PipelineDocument[];
  unloaded: { contracts: Set<string>; pipelines: Set<string> };
} {
  const contracts: ContractDocument[] = [];
  const pipelines: PipelineDocument[] = [];
  const unloaded = { contracts: new Set<string>(), pipelines: new Set<string>() };
  for (const { name, text } of documents) {
    if (text === undefined) continue;
    const parsed = parse(name, text);
    issues.push(...parsed.issues);
    const document = parsed.document;
    if (!document) {
      const sniffed = sniffDocument(text);
      if (sniffed?.kind === 'Contract') unloaded.contracts.add(sniffed.name);
      if (sniffed?.kind === 'Pipeline') unloaded.pipelines.add(sniffed.name);
    } else if (document.kind === 'Contract') contracts.push(document);
    else if (document.kind === 'Pipeline') pipelines.push(document);
    else {
      issues.push({
        code: 'PIPE1014',
        severity: 'warning',
        message: `a Project document in "${name}" is ignored: project settings live in ${PROJECT_FILE}`,
        file: name,
        path: ['kind'],
        span: document.sourceMap.spanOf(['kind']),
        hint: `move it to ${PROJECT_FILE} at the project root`,
      });
    }
  }
  return { contracts, pipelines, unloaded };
}

/** The allowed-signers file of a project that requires signed approvals, with its issues. */
async function loadSigners(args: {
  root: string;
  rel: (path: string) => string;
  files: ProjectFiles;
  issues: Issue[];
  project: Project;
  projectDocument: ProjectDocument | undefined;
}): Promise<AllowedSigner[]> {
  const { root, rel, files, issues, project, projectDocument } = args;
  const setting = project.approvals?.allowedSigners ?? 'allowed_signers';
  const key = ['approvals', 'allowedSigners'];
  const at = {
    file: PROJECT_FILE,
    path: key,
    ...(projectDocument
      ? { span: projectDocument.sourceMap.spanOf(key) ?? projectDocument.sourceMap.spanOf(['approvals']) }
      : {}),
  };
  const path = resolve(root, setting);
  const inside = relative(root, path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    issues.push({
      code: 'PIPE2035',
      severity: 'error',
      message: `approvals.allowedSigners "${setting}" is outside the project directory`,
      ...at,
      expected: 'a file inside the project, relative to pipectl.yaml',
      hint: "keep the approvers' keys with the contracts, e.g. `allowedSigners: allowed_signers`",
    });
    return [];
  }
  if ((await files.kind(path)) !== 'file') {
    issues.push({
      code: 'PIPE2031',
      severity: 'error',
      message: `approvals.signatures is "required" but the allowed-signers file "${rel(path)}" does not exist`,
      ...at,
      expected: 'a file with one line per approver: `alice ssh-ed25519 AAAA…`',
      hint: `create ${rel(path)} with each approver's public key (from ~/.ssh/id_ed25519.pub), or set approvals.signatures: off`,
    });
    return [];
  }
  const text = await readText(files, path, rel(path), issues, at);
  if (text === undefined) return [];
  const parsed = parseAllowedSigners(rel(path), text);
  issues.push(...parsed.issues);
  return [...parsed.signers];
}

/** parseDocument, answered from the caches while a file's text is unchanged: in memory, then on disk. */
function cachedParser(
  memory: ParseCache | undefined,
  disk: CompileCache | undefined,
): (file: string, text: string) => ParseResult {
  const parse = disk ? disk.parse : parseDocument;
  if (!memory) return parse;
  return (file, text) => {
    const hit = memory.get(file);
    if (hit && hit.text === text) return hit.result;
    const result = parse(file, text);
    memory.set(file, { text, result });
    return result;
  };
}

async function readText(
  files: ProjectFiles,
  path: string,
  name: string,
  issues: Issue[],
  at?: Pick<Issue, 'file' | 'path' | 'span'>,
): Promise<string | undefined> {
  try {
    return await files.read(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    issues.push({
      code: 'PIPE1013',
      severity: 'error',
      message: `cannot read "${name}" (${reason})`,
      file: name,
      path: [],
      ...at,
    });
    return undefined;
  }
}

type FolderKey = 'contracts' | 'pipelines';
const FOLDER_KEYS: readonly FolderKey[] = ['contracts', 'pipelines'];

/** A folder that could not be listed, located at the folder (unreadable) or at its setting (too large). */
function listingIssue(
  error: ListingError,
  key: FolderKey,
  rel: (path: string) => string,
  setting: Pick<Issue, 'file' | 'path' | 'span'>,
): Issue {
  if (error.reason === 'unreadable') {
    const name = rel(error.path) || '.';
    return {
      code: 'PIPE1013',
      severity: 'error',
      message: `cannot read folder "${name}" (${error.detail}) in the ${key} folder; the documents in it are not loaded`,
      file: name,
      path: [],
      hint: `make it readable by the user running pipectl (chmod a+rx "${name}"), or move it out of the ${key} folder`,
    };
  }
  return {
    code: 'PIPE2013',
    severity: 'error',
    message: `${key} folder "${rel(error.path) || '.'}" holds more than ${error.detail} files and folders; pipectl stopped looking`,
    ...setting,
    expected: "a folder holding the project's documents",
    hint: `point \`${key}:\` in ${PROJECT_FILE} at the folder with the *.${key === 'contracts' ? 'contract' : 'pipeline'}.yaml files`,
  };
}

function noProject(dir: string, message: string): Issue {
  return {
    code: 'PIPE2010',
    severity: 'error',
    message,
    file: dir,
    path: [],
    hint: `run pipectl in a project directory or pass its path; \`pipectl init\` creates one`,
  };
}

interface StepSqlContext {
  readonly root: string;
  readonly rel: (path: string) => string;
  readonly files: ProjectFiles;
  readonly issues: Issue[];
}

async function stepSql(
  pipeline: PipelineDocument,
  index: number,
  { root, rel, files, issues }: StepSqlContext,
): Promise<StepSql | undefined> {
  const step = pipeline.value.steps[index];
  if (!step) return undefined;
  if (step.sqlFile === undefined)
    return step.sql === undefined ? undefined : { text: step.sql, file: pipeline.file, fromFile: false };
  const path = resolve(dirname(resolve(root, pipeline.file)), step.sqlFile);
  const at = {
    file: pipeline.file,
    path: ['steps', index, 'sqlFile'],
    span: pipeline.sourceMap.spanOf(['steps', index, 'sqlFile']),
  };
  const kind = await files.kind(path);
  if (kind !== 'file') {
    issues.push({
      code: 'PIPE2009',
      severity: 'error',
      message: `sqlFile "${step.sqlFile}" of step "${step.name}" ${kind === undefined ? 'does not exist' : 'is not a file'} (looked for "${rel(path)}")`,
      ...at,
      hint: 'the path is relative to the pipeline file',
    });
    return undefined;
  }
  const text = await readText(files, path, rel(path), issues, at);
  return text === undefined ? undefined : { text, file: rel(path), fromFile: true };
}

/** Best-effort `kind` and `name` of a file that did not parse, read from its top-level lines. */
function sniffDocument(text: string): { kind: string; name: string } | undefined {
  const kind = /^kind:\s*["']?(\w+)/m.exec(text)?.[1];
  const name = /^name:\s*["']?([\w.]+)/m.exec(text)?.[1];
  return kind && name ? { kind, name } : undefined;
}
