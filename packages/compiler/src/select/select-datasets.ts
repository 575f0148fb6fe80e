// Evaluates graph selectors (selector.ts) on the compiled project: the nodes are datasets, an edge
// runs from each dataset a step reads to the dataset the step produces. `--select` and
// `--exclude` of `test`, `run`, `lineage`, `check` and `docs` all come through here. Pure.
import { closestName, PipectlError } from '@pipectl/spec';
import type { ProjectPlan } from '../plan/project-plan.js';
import { compareText } from '../support/compare-text.js';
import { parseSelector, type Reach, type SelectorAtom, type SelectorExpression } from './selector.js';

/** What selectors can see of one dataset. */
export interface SelectableDataset {
  readonly name: string;
  readonly owner: string;
  /** The contract's tags and its producing pipeline's tags. */
  readonly tags: readonly string[];
  /** Project-relative path of the contract file. */
  readonly file: string;
  /** The pipeline whose step or source writes it, or null. */
  readonly pipeline: string | null;
}

/** The datasets and the edges between them, built once per compiled project. */
export interface SelectionGraph {
  readonly datasets: ReadonlyMap<string, SelectableDataset>;
  readonly parents: ReadonlyMap<string, ReadonlySet<string>>;
  readonly children: ReadonlyMap<string, ReadonlySet<string>>;
}

/** A selector value that matches nothing: probably a typo, so it is reported, never ignored. */
export class SelectorMatchError extends PipectlError {
  constructor(
    readonly atom: string,
    message: string,
    hint: string,
  ) {
    super('PIPE1051', message, { hint });
  }
}

/** @example selectionGraph(result.plan).parents.get('mart.daily_revenue') // Set { 'stg.orders' } */
export function selectionGraph(plan: ProjectPlan): SelectionGraph {
  const datasets = new Map<string, SelectableDataset>();
  const parents = new Map<string, Set<string>>();
  const children = new Map<string, Set<string>>();
  const pipelineTags = new Map(plan.pipelines.map((p) => [p.name, p.tags ?? []]));
  for (const dataset of plan.datasets) {
    const pipeline = dataset.producedBy?.pipeline ?? null;
    const tags = new Set([
      ...(dataset.tags ?? []),
      ...(pipeline === null ? [] : (pipelineTags.get(pipeline) ?? [])),
    ]);
    datasets.set(dataset.name, {
      name: dataset.name,
      owner: dataset.owner,
      tags: [...tags].sort(compareText),
      file: dataset.file,
      pipeline,
    });
    parents.set(dataset.name, new Set());
    children.set(dataset.name, new Set());
  }
  for (const pipeline of plan.pipelines) {
    for (const step of pipeline.steps) {
      for (const read of step.reads) {
        parents.get(step.produces)?.add(read.dataset);
        children.get(read.dataset)?.add(step.produces);
      }
    }
  }
  return { datasets, parents, children };
}

/**
 * The datasets `select` names (every dataset when it is empty), less those `exclude` names,
 * sorted. Throws SelectorSyntaxError or SelectorMatchError.
 * @example selectDatasets(graph, { select: ['+mart.daily_revenue'], exclude: ['tag:raw'] })
 */
export function selectDatasets(
  graph: SelectionGraph,
  options: { readonly select?: readonly string[]; readonly exclude?: readonly string[] },
): string[] {
  const select = options.select ?? [];
  let chosen =
    select.length === 0
      ? new Set(graph.datasets.keys())
      : union(select.map((selector) => evaluate(graph, parseSelector(selector))));
  for (const selector of options.exclude ?? []) {
    const excluded = evaluate(graph, parseSelector(selector));
    chosen = new Set([...chosen].filter((name) => !excluded.has(name)));
  }
  return [...chosen].sort(compareText);
}

/** Every dataset `name` is built from, however far (not including `name`). */
export function ancestorsOf(
  graph: SelectionGraph,
  names: Iterable<string>,
  reach: Reach = 'all',
): Set<string> {
  return walk(graph.parents, names, reach);
}

/** Every dataset built from `name`, however far (not including `name`). */
export function descendantsOf(
  graph: SelectionGraph,
  names: Iterable<string>,
  reach: Reach = 'all',
): Set<string> {
  return walk(graph.children, names, reach);
}

function evaluate(graph: SelectionGraph, expression: SelectorExpression): Set<string> {
  return union(
    expression.map((atoms) => {
      const [first, ...rest] = atoms.map((atom) => evaluateAtom(graph, atom));
      const common = new Set(first);
      for (const next of rest) for (const name of common) if (!next.has(name)) common.delete(name);
      return common;
    }),
  );
}

function evaluateAtom(graph: SelectionGraph, atom: SelectorAtom): Set<string> {
  const base = matchBase(graph, atom);
  const out = new Set(base);
  if (atom.at) {
    const down = descendantsOf(graph, base);
    for (const name of down) out.add(name);
    for (const name of ancestorsOf(graph, out)) out.add(name);
    return out;
  }
  if (atom.parents !== undefined) for (const name of ancestorsOf(graph, base, atom.parents)) out.add(name);
  if (atom.children !== undefined)
    for (const name of descendantsOf(graph, base, atom.children)) out.add(name);
  return out;
}

function matchBase(graph: SelectionGraph, atom: SelectorAtom): Set<string> {
  const all = [...graph.datasets.values()];
  const pattern = globPattern(atom.value);
  const test = (text: string) => pattern.test(text);
  let hits: SelectableDataset[];
  let known: string[];
  switch (atom.method) {
    case 'dataset':
      hits = all.filter((d) => test(d.name));
      known = all.map((d) => d.name);
      break;
    case 'tag':
      hits = all.filter((d) => d.tags.some(test));
      known = all.flatMap((d) => d.tags);
      break;
    case 'owner':
      hits = all.filter((d) => test(d.owner));
      known = all.map((d) => d.owner);
      break;
    case 'pipeline':
      hits = all.filter((d) => d.pipeline !== null && test(d.pipeline));
      known = all.flatMap((d) => (d.pipeline === null ? [] : [d.pipeline]));
      break;
    case 'path': {
      const prefix = atom.value.replace(/^\.\//, '').replace(/\/+$/, '');
      const under = (file: string) =>
        prefix.includes('*')
          ? globPattern(prefix).test(file)
          : file === prefix || file.startsWith(`${prefix}/`);
      hits = all.filter((d) => under(d.file));
      known = [...new Set(all.map((d) => d.file.split('/').slice(0, -1).join('/') || '.'))];
      break;
    }
  }
  if (hits.length === 0) {
    const distinct = [...new Set(known)].sort(compareText);
    const close = atom.value.includes('*') ? undefined : closestName(atom.value, distinct);
    const what = atom.method === 'dataset' ? 'dataset' : `${atom.method}`;
    throw new SelectorMatchError(
      atom.text,
      `"${atom.text}" selects nothing: no ${what} ${atom.value.includes('*') ? 'matches' : 'is'} "${atom.value}"`,
      close !== undefined
        ? `did you mean "${atom.method === 'dataset' ? '' : `${atom.method}:`}${close}"?`
        : distinct.length === 0
          ? `no dataset in the project has a ${what}`
          : `${what === 'dataset' ? 'datasets' : `${what}s`} in the project: ${preview(distinct)}`,
    );
  }
  return new Set(hits.map((d) => d.name));
}

function walk(
  edges: ReadonlyMap<string, ReadonlySet<string>>,
  start: Iterable<string>,
  reach: Reach,
): Set<string> {
  const seen = new Set<string>();
  let frontier = [...start];
  for (let hop = 1; frontier.length > 0 && (reach === 'all' || hop <= reach); hop++) {
    const next: string[] = [];
    for (const name of frontier) {
      for (const neighbour of edges.get(name) ?? []) {
        if (seen.has(neighbour)) continue;
        seen.add(neighbour);
        next.push(neighbour);
      }
    }
    frontier = next;
  }
  return seen;
}

function union(sets: readonly Set<string>[]): Set<string> {
  const out = new Set<string>();
  for (const set of sets) for (const name of set) out.add(name);
  return out;
}

function globPattern(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

function preview(names: readonly string[]): string {
  return names.length <= 12
    ? names.join(', ')
    : `${names.slice(0, 12).join(', ')}, … (${names.length} in all)`;
}
