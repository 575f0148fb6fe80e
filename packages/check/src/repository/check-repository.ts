// `pipectl check --base <ref>` as a library: the project at the base revision (read from git, no
// checkout) against the project at the head (the working tree, or another revision). Contracts
// are paired by dataset name, or by file when the dataset was renamed; each pair is judged by
// @pipectl/compat, placed in its YAML, and every breaking or review change is traced to the
// consumers it reaches through the lineage graph. Returns a report; never prints.
//
// Cost on a large project: the head is loaded and compiled whole (its lineage and its validity
// are part of the answer); the base's files are read with one `git cat-file --batch`, and only
// the files whose text differs from the head's are parsed. The base is compiled only when a
// change is about something the head no longer has, and then with the head's SQL already parsed.
import { join, posix } from 'node:path';
import { DEFAULT_REVIEW_POLICY, isTransitive, type ReviewPolicy, unknownPolicyKeys } from '@pipectl/compat';
import {
  compileProject,
  createDuckDbSqlParser,
  DOCUMENT_FILE,
  type LineageGraph,
  type LoadedProject,
  loadProject,
  type ParseCache,
  PROJECT_FILE,
  type ProjectFiles,
  type ProjectPlan,
  type SqlParser,
} from '@pipectl/compiler';
import { type Contract, type ContractDocument, docsPageUrl, type Issue } from '@pipectl/spec';
import { checkContract } from '../contract/check-contract.js';
import {
  DEFAULT_MAX_FILE_BYTES,
  formatBytes,
  type GuardedFiles,
  guardFiles,
} from '../files/guarded-files.js';
import { type SizedProjectFiles, worktreeFiles } from '../files/sized-files.js';
import { changedFiles } from '../git/changed-files.js';
import { contractHistories } from '../git/contract-history.js';
import { createGitFiles } from '../git/git-files.js';
import { createGit, type Git } from '../git/git-runner.js';
import { changeImpact, type ImpactContext, wantsImpact } from '../impact/change-impact.js';
import {
  type CheckedChange,
  type ContractCheck,
  type RepositoryCheckReport,
  summarize,
} from '../report/check-report.js';
import { memoSqlParser } from '../sql/memo-sql-parser.js';
import { gitFailure, openRepository, resolveCommit } from './open-repository.js';

/** The head as it is on disk, uncommitted changes included. */
export const WORKTREE = 'WORKTREE';

export interface CheckRepositoryOptions {
  /** A directory inside the repository; the project directory is relative to it. */
  readonly repoDir: string;
  /** The project directory (default: `repoDir`). */
  readonly projectDir?: string;
  /** The base revision: a branch, tag or commit, e.g. `origin/main` or `HEAD~1`. */
  readonly base: string;
  /** The head: the working tree (default) or a revision. */
  readonly head?: string;
  /**
   * Compare only the contracts whose files git reports as changed (renames included), and skip
   * everything when nothing under the project changed. The head is still compiled whole.
   */
  readonly changedOnly?: boolean;
  /** How git is run (default: the git executable in `repoDir`). */
  readonly git?: Git;
  /** Document files over this size are skipped (default 1 MiB). */
  readonly maxFileBytes?: number;
  /** How many earlier versions a *_transitive contract is compared with (default 20). */
  readonly historyLimit?: number;
  /** Parses step SQL (default: DuckDB in memory, opened and closed by this call). */
  readonly sqlParser?: SqlParser;
  /**
   * Use and update the project's compile cache (`.pipectl/cache/`, see the compiler's
   * `LoadOptions.cache`) for both revisions: off by default; the CLI turns it on. With it (and no
   * sqlParser given), SQL parses come from the cache and DuckDB opens only for what it lacks.
   */
  readonly cache?: boolean;
  /** Today (`YYYY-MM-DD`, UTC), for removals against a `deprecation` date (default: the current date). */
  readonly today?: string;
  /**
   * `--select`/`--exclude`: the datasets to report on, chosen on the head's compiled plan
   * (undefined: all). A contract is reported when its dataset is chosen, or when one of its
   * changes reaches a chosen dataset; the head's own errors are always reported.
   */
  readonly selectDatasets?: (plan: ProjectPlan) => Promise<ReadonlySet<string> | undefined>;
}

const DEFAULT_HISTORY_LIMIT = 20;

/**
 * Checks every contract of a project against the base revision.
 * @example const report = await checkRepository({ repoDir: '.', base: 'origin/main' }); report.summary.failed
 * @throws CheckError when there is no repository, no such revision, or git fails
 */
export async function checkRepository(options: CheckRepositoryOptions): Promise<RepositoryCheckReport> {
  const git = options.git ?? createGit(options.repoDir);
  const repo = await openRepository(git, options.repoDir, options.projectDir ?? '.');
  const headRef = options.head ?? WORKTREE;
  const baseCommit = await resolveCommit(git, options.base, 'base');
  const headCommit = headRef === WORKTREE ? undefined : await resolveCommit(git, headRef, 'head');
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const projectRoot = repo.project === '' ? repo.root : join(repo.root, repo.project);
  const toProject = (repoPath: string) =>
    repo.project === '' ? repoPath : posix.relative(repo.project, repoPath);
  const report = (
    contracts: ContractCheck[],
    issues: Issue[],
    unchanged: number,
    changedFilesList?: string[],
    reviewPolicy: ReviewPolicy = DEFAULT_REVIEW_POLICY,
    chosen?: ReadonlySet<string>,
  ): RepositoryCheckReport => ({
    repository: repo.root,
    project: repo.project === '' ? '.' : repo.project,
    base: { ref: options.base, commit: baseCommit },
    head: { ref: headRef, ...(headCommit ? { commit: headCommit } : {}) },
    selection: {
      changedOnly: options.changedOnly === true,
      ...(changedFilesList ? { changedFiles: changedFilesList } : {}),
      ...(chosen ? { datasets: [...chosen].sort() } : {}),
    },
    contracts,
    reviewPolicy,
    issues,
    summary: summarize(contracts, issues, unchanged),
  });

  const gitCall = <T>(promise: Promise<T>): Promise<T> =>
    promise.catch((error: unknown) => {
      throw gitFailure(error);
    });
  const changes = await gitCall(changedFiles(git, baseCommit, headCommit, repo.project));
  const changed = new Set(
    changes
      .flatMap((change) => (change.from ? [change.from, change.path] : [change.path]))
      .filter(isProjectFile)
      .map(toProject),
  );
  if (options.changedOnly && changed.size === 0) return report([], [], 0, []);

  // With the compile cache, the parser is the cache's, taken once the head has opened it.
  const cached = options.cache === true && !options.sqlParser;
  let sqlParser: SqlParser | undefined = cached
    ? undefined
    : memoSqlParser(options.sqlParser ?? createDuckDbSqlParser());
  let cache: LoadedProject['cache'];
  try {
    // Every file a load reads (documents, settings, SQL) in one cat-file batch, started at once
    // so the base is read while the head is parsed.
    const prefetch = (path: string, size: number | undefined) =>
      isProjectFile(path) && (size === undefined || size <= maxBytes);
    const gitSide = async (commit: string): Promise<SizedProjectFiles> =>
      gitCall(createGitFiles({ git, repoRoot: repo.root, commit, scope: repo.project, prefetch }));
    const baseFilesPromise = gitSide(baseCommit).then((files) => ({ guarded: guardFiles(files, maxBytes) }));
    // Awaited below; until then a failure must not count as unhandled.
    baseFilesPromise.catch(() => undefined);
    const headFiles = guardFiles(headCommit ? await gitSide(headCommit) : worktreeFiles(), maxBytes);
    const parsed: ParseCache = new Map();
    const head = await loadProject(projectRoot, { files: headFiles, parsed, cache: cached });
    cache = head.cache;
    sqlParser ??= cache?.sqlParser() ?? createDuckDbSqlParser();
    const parser = sqlParser;
    const headCompiled = compileProject(head, { sqlParser: parser });
    headCompiled.catch(() => undefined);
    const baseSide = await baseFilesPromise;
    // With --changed-only, the base loader sees only the files git named.
    const baseListed = options.changedOnly
      ? onlyFiles(baseSide.guarded, new Set([...changed].map((file) => join(projectRoot, file))))
      : baseSide.guarded;
    const base = emptyWithoutProject(
      await loadProject(projectRoot, { files: baseListed, parsed, ...(cache ? { cache } : {}) }),
    );
    const compiled = await headCompiled;
    const chosen = options.selectDatasets ? await options.selectDatasets(compiled.plan) : undefined;

    let baseGraph: Promise<LineageGraph> | undefined;
    const baseGraphOf = (): Promise<LineageGraph> => {
      baseGraph ??= (async () => {
        const full = options.changedOnly
          ? emptyWithoutProject(
              await loadProject(projectRoot, {
                files: baseSide.guarded,
                parsed,
                ...(cache ? { cache } : {}),
              }),
            )
          : base;
        return (await compileProject(full, { sqlParser: parser })).graph;
      })();
      return baseGraph;
    };

    const renamedTo = new Map(
      changes
        .filter((change) => change.status === 'renamed' && change.from)
        .map((c) => [toProject(c.from as string), toProject(c.path)]),
    );
    const warnings: Issue[] = [
      ...skippedIssues(headFiles, projectRoot, 'head', headRef, maxBytes),
      ...skippedIssues(baseSide.guarded, projectRoot, 'base', options.base, maxBytes),
    ];
    const pairs = pairContracts(base, head, renamedTo, {
      baseSkipped: skippedFiles(baseSide.guarded, projectRoot),
      headSkipped: skippedFiles(headFiles, projectRoot),
    });
    warnings.push(...baseInvalidIssues(base, options.base));

    const selected = pairs.filter(
      (pair) =>
        pair.base !== pair.head &&
        (!options.changedOnly || changed.has(pair.head?.file ?? '') || changed.has(pair.base?.file ?? '')),
    );
    const histories = await gitCall(
      transitiveHistories(
        git,
        baseCommit,
        selected,
        (file) => (repo.project === '' ? file : `${repo.project}/${file}`),
        options.historyLimit ?? DEFAULT_HISTORY_LIMIT,
      ),
    );

    const context: ImpactContext = {
      head: compiled.graph,
      base: baseGraphOf,
      headDatasets: new Set(head.contracts.map((contract) => contract.value.name)),
      headPipelines: new Set(head.pipelines.map((pipeline) => pipeline.value.name)),
    };
    const reviewPolicy: ReviewPolicy = head.project.compatibility.review;
    const policyIssues = reviewPolicyIssues(head, reviewPolicy);
    // What still reads a removed contract fails to resolve at the head: that is the removal
    // breaking its readers (exit 1), not an invalid project (exit 2).
    const removedNames = new Set(
      selected.flatMap((pair) => (pair.base && !pair.head ? [pair.base.value.name] : [])),
    );
    const { readers, rest: headIssues } = removalReaders(compiled.issues, removedNames);
    const { contracts, reachedOnly } = await judgeContracts(selected, {
      histories,
      policy: reviewPolicy,
      today: options.today ?? new Date().toISOString().slice(0, 10),
      context,
      readers,
      chosen,
      docsUrl: head.project.docs?.url,
    });
    const unchanged =
      pairs.filter((pair) => isChosen(pair, chosen)).length - (contracts.length - reachedOnly);
    const readerWarnings = [...readers.values()].flat();
    const issues = [...headIssues, ...policyIssues, ...readerWarnings, ...warnings];
    return report(
      contracts,
      issues,
      unchanged,
      options.changedOnly ? [...changed].sort() : undefined,
      reviewPolicy,
      chosen,
    );
  } finally {
    if (!options.sqlParser) sqlParser?.close();
    await cache?.save();
  }
}

/** What judging the selected pairs needs beyond the pairs themselves. */
interface JudgeContext {
  readonly histories: ReadonlyMap<ContractPair, Contract[]>;
  readonly policy: ReviewPolicy;
  /** `YYYY-MM-DD`, for removals against a deprecation date. */
  readonly today: string;
  readonly context: ImpactContext;
  /** PIPE4009 warnings by removed dataset. */
  readonly readers: ReadonlyMap<string, Issue[]>;
  readonly chosen: ReadonlySet<string> | undefined;
  readonly docsUrl: string | undefined;
}

/**
 * Judges each selected pair and traces its changes' consumers; keeps the changed ones that are
 * chosen or reach a chosen dataset (counted as `reachedOnly`), sorted by file.
 */
async function judgeContracts(
  selected: readonly ContractPair[],
  judge: JudgeContext,
): Promise<{ contracts: ContractCheck[]; reachedOnly: number }> {
  const { histories, policy, today, context, readers, chosen, docsUrl } = judge;
  const contracts: ContractCheck[] = [];
  let reachedOnly = 0;
  for (const pair of selected) {
    const history = histories.get(pair);
    const check = checkContract({ ...pair, ...(history ? { history } : {}), policy, today });
    if (check.changes.length === 0 && check.status !== 'moved') continue;
    const checked = await withImpact(check, pair, context, readers.get(check.dataset) ?? []);
    if (!isChosen(pair, chosen)) {
      if (!reaches(checked, chosen)) continue;
      reachedOnly++;
    }
    contracts.push(
      docsUrl && check.status !== 'removed'
        ? { ...checked, docsPage: docsPageUrl(docsUrl, 'contract', check.dataset) }
        : checked,
    );
  }
  contracts.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { contracts, reachedOnly };
}

/** Whether a pair's dataset (at either side) is among the chosen ones; all are when none were chosen. */
function isChosen(pair: ContractPair, chosen: ReadonlySet<string> | undefined): boolean {
  return !chosen || chosen.has(pair.head?.value.name ?? '') || chosen.has(pair.base?.value.name ?? '');
}

/** Whether a change of the contract reaches one of the chosen datasets downstream. */
function reaches(check: ContractCheck, chosen: ReadonlySet<string> | undefined): boolean {
  if (!chosen) return true;
  return check.changes.some((change) => change.impact?.datasets.some((dataset) => chosen.has(dataset.name)));
}

/** Files a check reads: documents, project settings and SQL; data and docs cannot change a verdict. */
function isProjectFile(path: string): boolean {
  const name = posix.basename(path);
  return DOCUMENT_FILE.test(name) || name === PROJECT_FILE || name.endsWith('.sql');
}

interface ContractPair {
  readonly base?: ContractDocument;
  readonly head?: ContractDocument;
}

/**
 * Pairs base and head contracts: same dataset name; else (a renamed dataset) the same file, or
 * the file git says it was renamed to. What did not load on one side is not compared: an invalid
 * or skipped base file leaves its head contract unjudged (a warning says so), and a head file
 * that does not load is reported among the head's errors, not as a removal.
 */
function pairContracts(
  base: LoadedProject,
  head: LoadedProject,
  renamedTo: ReadonlyMap<string, string>,
  skipped: { readonly baseSkipped: ReadonlySet<string>; readonly headSkipped: ReadonlySet<string> },
): ContractPair[] {
  const headByName = new Map(head.contracts.map((doc) => [doc.value.name, doc]));
  const baseByName = new Map(base.contracts.map((doc) => [doc.value.name, doc]));
  const pairs: ContractPair[] = [];
  const removed: ContractDocument[] = [];
  for (const doc of base.contracts) {
    const same = headByName.get(doc.value.name);
    if (same) pairs.push({ base: doc, head: same });
    else removed.push(doc);
  }
  const added = head.contracts.filter((doc) => !baseByName.has(doc.value.name));
  const addedByFile = new Map(added.map((doc) => [doc.file, doc]));
  const claimed = new Set<ContractDocument>();
  for (const doc of removed) {
    const file = renamedTo.get(doc.file) ?? doc.file;
    const next = addedByFile.get(file);
    if (next && !claimed.has(next)) {
      pairs.push({ base: doc, head: next });
      claimed.add(next);
      continue;
    }
    // Not loaded at the head (invalid or skipped): its errors or the skip say so.
    const headFailed =
      head.unloaded.contracts.has(doc.value.name) ||
      skipped.headSkipped.has(file) ||
      head.issues.some((issue) => issue.file === file && issue.severity === 'error');
    if (!headFailed) pairs.push({ base: doc });
  }
  const baseFailedFiles = new Set([
    ...base.issues
      .filter((issue) => issue.severity === 'error' && issue.file)
      .map((issue) => issue.file as string),
    ...skipped.baseSkipped,
  ]);
  const formerPath = new Map([...renamedTo].map(([from, to]) => [to, from]));
  for (const doc of added) {
    if (claimed.has(doc)) continue;
    const before = formerPath.get(doc.file) ?? doc.file;
    // Unjudged: the base version did not load (a PIPE4003 or PIPE4005 warning says so).
    if (baseFailedFiles.has(before) || base.unloaded.contracts.has(doc.value.name)) continue;
    pairs.push({ head: doc });
  }
  return pairs;
}

/** Histories for the pairs judged under a *_transitive mode, keyed by pair. */
async function transitiveHistories(
  git: Git,
  baseCommit: string,
  pairs: readonly ContractPair[],
  repoPath: (file: string) => string,
  limit: number,
): Promise<Map<ContractPair, Contract[]>> {
  const wanted = pairs.filter(
    (pair): pair is ContractPair & { base: ContractDocument } =>
      pair.base !== undefined && isTransitive(pair.base.value.compatibility),
  );
  const histories = await contractHistories(
    git,
    baseCommit,
    wanted.map((pair) => ({ path: repoPath(pair.base.file), base: pair.base.value })),
    limit,
  );
  return new Map(wanted.map((pair, index) => [pair, histories[index] ?? [pair.base.value]]));
}

/**
 * Adds consumers to breaking and review changes. A removal stays breaking whether or not anything
 * in the project reads it (consumers outside it cannot be seen); a retirement after a deprecation
 * is breaking only when something in the project still reads the dataset.
 */
async function withImpact(
  check: ContractCheck,
  pair: ContractPair,
  context: ImpactContext,
  readers: readonly Issue[],
): Promise<ContractCheck> {
  const dataset = check.dataset;
  const baseDataset = pair.base?.value.name ?? dataset;
  const changes: CheckedChange[] = [];
  for (const change of check.changes) {
    const removal = change.rule === 'DATASET_REMOVED' || change.rule === 'DATASET_RETIRED';
    if (!wantsImpact(change) && !removal) {
      changes.push(change);
      continue;
    }
    const impact = await changeImpact(change, dataset, baseDataset, context);
    const consumers = (impact?.datasets.length ?? 0) + (impact?.pipelines.length ?? 0) + readers.length;
    if (removal && consumers > 0 && change.verdict !== 'breaking' && !change.waived) {
      changes.push({
        ...change,
        verdict: 'breaking',
        gate: 'fail',
        note: `still read in the project${readersSentence(readers)}: move its readers first, then remove it`,
        ...(impact ? { impact } : {}),
      });
      continue;
    }
    const note =
      removal && readers.length > 0 ? { note: `still read in the project${readersSentence(readers)}` } : {};
    changes.push({ ...change, ...note, ...(impact ? { impact } : {}) });
  }
  const breaking = changes.some((change) => change.verdict === 'breaking' && !change.waived);
  const needsReview = changes.some((change) => change.verdict === 'review' && !change.waived);
  const failed = changes.some((change) => change.gate === 'fail') || !check.versionCheck.ok;
  return { ...check, changes, breaking, needsReview, failed };
}

function readersSentence(readers: readonly Issue[]): string {
  if (readers.length === 0) return '';
  const places = readers.map((issue) =>
    issue.span ? `${issue.file}:${issue.span.line}:${issue.span.col}` : (issue.file ?? '?'),
  );
  return ` (${places.join(', ')})`;
}

/** Issues at the head that name a removed contract (PIPE2003 unknown contract, PIPE2004 unknown ref()). */
const READER_CODES = new Set(['PIPE2003', 'PIPE2004']);

/**
 * Splits the head's issues: those caused by reading a removed contract become PIPE4009 warnings,
 * keyed by the removed dataset (they make the removal breaking), the rest stay as they are.
 */
function removalReaders(
  issues: readonly Issue[],
  removed: ReadonlySet<string>,
): { readers: Map<string, Issue[]>; rest: Issue[] } {
  const readers = new Map<string, Issue[]>();
  const rest: Issue[] = [];
  for (const issue of issues) {
    const name = READER_CODES.has(issue.code)
      ? [...removed].find(
          (dataset) => issue.message.includes(`"${dataset}"`) || issue.message.includes(`('${dataset}')`),
        )
      : undefined;
    if (name === undefined) {
      rest.push(issue);
      continue;
    }
    const reader: Issue = {
      ...issue,
      code: 'PIPE4009',
      severity: 'warning',
      message: `reads "${name}", whose contract this change removes (${issue.code}: ${issue.message})`,
      hint: 'move this reader to the replacement first, or keep the contract: deprecate it with a date, then remove it',
    };
    readers.set(name, [...(readers.get(name) ?? []), reader]);
  }
  return { readers, rest };
}

/** PIPE4008 for each review-policy key that is neither a rule id nor a rule class. */
function reviewPolicyIssues(head: LoadedProject, policy: ReviewPolicy): Issue[] {
  return unknownPolicyKeys(policy).map((key) => {
    const path = ['compatibility', 'review', 'rules', key];
    const span = head.projectDocument?.sourceMap.spanOf(path);
    return {
      code: 'PIPE4008',
      severity: 'error' as const,
      message: `unknown rule "${key}" in the review policy: it is neither a rule id nor a rule class`,
      ...(head.projectFile ? { file: PROJECT_FILE } : {}),
      path,
      ...(span ? { span } : {}),
      expected:
        'a rule id such as "PATTERN_CHANGED", or a class: dataset, field, type, constraint, key, relationship, classification, quality, sla, metadata',
      hint: 'see the rule table in docs/compatibility.md',
    };
  });
}

/** A base without the project (it is new in this change) is empty, not an error. */
function emptyWithoutProject(loaded: LoadedProject): LoadedProject {
  if (!loaded.issues.some((issue) => issue.code === 'PIPE2010')) return loaded;
  return { ...loaded, issues: loaded.issues.filter((issue) => issue.code !== 'PIPE2010') };
}

/** `files` listing only the given absolute paths (reads are unrestricted). */
function onlyFiles(files: ProjectFiles, allowed: ReadonlySet<string>): ProjectFiles {
  return {
    kind: (path) => files.kind(path),
    read: (path) => files.read(path),
    list: async (dir) => (await files.list(dir)).filter((path) => allowed.has(path)),
  };
}

function skippedFiles(files: GuardedFiles, projectRoot: string): Set<string> {
  return new Set(files.skipped.map((file) => posix.relative(projectRoot, file.path)));
}

function skippedIssues(
  files: GuardedFiles,
  projectRoot: string,
  side: 'base' | 'head',
  ref: string,
  maxBytes: number,
): Issue[] {
  const where =
    side === 'head'
      ? ref === WORKTREE
        ? 'in the working tree'
        : `at the head (${ref})`
      : `at the base (${ref})`;
  return files.skipped.map((skipped) => {
    const file = posix.relative(projectRoot, skipped.path);
    const why =
      skipped.reason === 'binary'
        ? 'it is binary (it holds NUL bytes), not YAML'
        : `it is ${formatBytes(skipped.size)}, over the ${formatBytes(maxBytes)} limit`;
    return {
      code: 'PIPE4005',
      severity: 'warning' as const,
      message: `"${file}" ${where} is skipped: ${why}; its contract is not compared`,
      file,
      path: [],
      hint:
        skipped.reason === 'binary'
          ? 'save the file as UTF-8 text, or give it another extension if it is not a pipectl document'
          : 'split the document, or move the data out of it',
    };
  });
}

/** One warning per base file that did not load: its contract is checked at the head only. */
function baseInvalidIssues(base: LoadedProject, ref: string): Issue[] {
  const files = new Set(
    base.issues
      .filter((issue) => issue.severity === 'error' && issue.file)
      .map((issue) => issue.file as string),
  );
  return [...files].sort().map((file) => {
    const problems = base.issues.filter((issue) => issue.file === file && issue.severity === 'error');
    const first = problems[0] as Issue;
    const at = first.span ? `:${first.span.line}:${first.span.col}` : '';
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    return {
      code: 'PIPE4003',
      severity: 'warning' as const,
      message: `"${file}" is invalid at the base (${ref}), so its changes cannot be compared: ${first.code} at ${file}${at} ${first.message}${more}`,
      file,
      path: [],
      hint: 'the head version is still validated in full; the base is fixed once this change is merged',
    };
  });
}
