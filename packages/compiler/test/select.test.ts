// Graph selectors on the shop fixture (the grammar dbt users know), and a property test: `+x` is
// exactly x's upstream closure, `x+` its downstream closure, on random DAGs and against the
// lineage graph's own traversal.
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type CompileResult,
  compile,
  createDuckDbSqlParser,
  type ProjectPlan,
  parseSelector,
  type SelectionGraph,
  SelectorMatchError,
  SelectorSyntaxError,
  selectDatasets,
  selectionGraph,
} from '../src/index.js';

const sqlParser = createDuckDbSqlParser();
let result: CompileResult;
let graph: SelectionGraph;
beforeAll(async () => {
  result = await compile(join(import.meta.dirname, 'fixtures', 'shop'), { sqlParser });
  // Tags as the plan carries them from the YAML (the fixture itself declares none).
  const plan = result.plan;
  graph = selectionGraph({
    ...plan,
    datasets: plan.datasets.map((d) => (d.name === 'marts.fct_orders' ? { ...d, tags: ['finance'] } : d)),
    pipelines: plan.pipelines.map((p) => (p.name === 'reporting' ? { ...p, tags: ['weekly'] } : p)),
  });
});
afterAll(() => sqlParser.close());

const select = (...selectors: string[]) => selectDatasets(graph, { select: selectors });

describe('selectors on the shop project', () => {
  test('a name selects one dataset; no selector selects all', () => {
    expect(select('marts.fct_orders')).toEqual(['marts.fct_orders']);
    expect(selectDatasets(graph, {})).toEqual([...graph.datasets.keys()].sort());
  });

  test('+x adds everything upstream, x+ everything downstream, N limits the hops', () => {
    expect(select('+marts.fct_orders')).toEqual([
      'marts.fct_orders',
      'raw.customers',
      'raw.orders',
      'staging.orders',
    ]);
    expect(select('1+marts.fct_orders')).toEqual(['marts.fct_orders', 'raw.customers', 'staging.orders']);
    expect(select('staging.orders+1')).toEqual(['marts.fct_orders', 'staging.orders']);
    expect(select('staging.orders+')).toEqual([
      'marts.country_revenue',
      'marts.customer_revenue',
      'marts.fct_orders',
      'staging.orders',
    ]);
  });

  test('@x is x, its descendants and everything they need', () => {
    expect(select('@staging.orders')).toEqual([
      'marts.country_revenue',
      'marts.customer_revenue',
      'marts.fct_orders',
      'raw.customers',
      'raw.orders',
      'staging.orders',
    ]);
  });

  test('methods: tag (contract or pipeline), owner, pipeline, path, globs', () => {
    expect(select('tag:finance')).toEqual(['marts.fct_orders']);
    expect(select('tag:weekly')).toEqual(['marts.country_revenue']);
    expect(select('pipeline:reporting')).toEqual(['marts.country_revenue']);
    expect(select('raw.*')).toEqual(['raw.customers', 'raw.orders']);
    const owner = graph.datasets.get('raw.orders')?.owner ?? '';
    expect(select(`owner:${owner}`)).toContain('raw.orders');
    const file = graph.datasets.get('raw.orders')?.file ?? '';
    const folder = file.split('/').slice(0, -1).join('/');
    expect(select(`path:${folder}`)).toContain('raw.orders');
    expect(select(`path:${file}`)).toEqual(['raw.orders']);
  });

  test('spaces are a union, commas an intersection, --exclude subtracts', () => {
    expect(select('raw.orders marts.fct_orders')).toEqual(['marts.fct_orders', 'raw.orders']);
    expect(select('+marts.fct_orders,raw.*')).toEqual(['raw.customers', 'raw.orders']);
    expect(selectDatasets(graph, { select: ['+marts.fct_orders'], exclude: ['raw.*'] })).toEqual([
      'marts.fct_orders',
      'staging.orders',
    ]);
  });

  test('a name that matches nothing is an error with the closest name', () => {
    expect(() => select('marts.fct_order')).toThrow(SelectorMatchError);
    try {
      select('marts.fct_order');
    } catch (error) {
      expect((error as SelectorMatchError).hint).toBe('did you mean "marts.fct_orders"?');
    }
    expect(() => select('tag:nothing')).toThrow(/selects nothing/);
  });

  test('syntax mistakes are positioned', () => {
    expect(() => parseSelector('   ')).toThrow(SelectorSyntaxError);
    try {
      parseSelector('raw.orders colour:red');
    } catch (error) {
      expect(error).toBeInstanceOf(SelectorSyntaxError);
      expect((error as SelectorSyntaxError).offset).toBe(11);
      expect((error as SelectorSyntaxError).message).toBe('unknown selector method "colour:"');
    }
    expect(() => parseSelector('@+x')).toThrow(/combines "@"/);
    expect(() => parseSelector('tag:')).toThrow(/has no value/);
  });

  test('+x is exactly the datasets the lineage graph finds upstream of x (and x+ downstream)', () => {
    for (const name of graph.datasets.keys()) {
      const up = result.graph.upstream(name);
      const down = result.graph.downstream(name);
      if (!up.found || !down.found) throw new Error(`lineage graph does not know ${name}`);
      const datasets = (answer: typeof up) =>
        answer.found ? answer.nodes.filter((n) => n.kind === 'dataset').map((n) => n.name) : [];
      expect(select(`+${name}`)).toEqual([name, ...datasets(up)].sort());
      expect(select(`${name}+`)).toEqual([name, ...datasets(down)].sort());
    }
  });
});

/** A random DAG as a project plan: dataset d<j> reads d<i> only when i < j. */
const randomDag = fc.integer({ min: 2, max: 14 }).chain((n) =>
  fc.tuple(
    fc.constant(n),
    // Pairs (a, b) with a < b, drawn as (a, gap) so no draw is ever thrown away.
    fc.uniqueArray(
      fc
        .tuple(fc.nat(n - 1), fc.nat(n - 1))
        .map(
          ([a, gap]) =>
            [
              Math.min(a, n - 2),
              Math.min(a, n - 2) + 1 + (gap % Math.max(1, n - 1 - Math.min(a, n - 2))),
            ] as const,
        ),
      { selector: ([a, b]) => `${a}-${b}`, maxLength: 30 },
    ),
  ),
);

function planOf(n: number, edges: readonly (readonly [number, number])[]): ProjectPlan {
  const name = (i: number) => `s.d${i}`;
  const datasets = Array.from({ length: n }, (_, i) => ({
    name: name(i),
    relation: name(i),
    version: '1.0.0',
    owner: 'o',
    compatibility: 'backward',
    approvers: [],
    file: `contracts/d${i}.yaml`,
    producedBy: { pipeline: 'p', step: `d${i}` },
    columns: [],
  }));
  const steps = Array.from({ length: n }, (_, j) => ({
    name: `d${j}`,
    produces: name(j),
    reads: edges.filter(([, b]) => b === j).map(([a]) => ({ dataset: name(a) })),
  }));
  return {
    datasets,
    pipelines: [{ name: 'p', file: 'p.yaml', sources: [], steps }],
  } as unknown as ProjectPlan;
}

/** Reachability by Warshall's algorithm on a flat n×n matrix: independent of the selector's walk. */
function closure(
  n: number,
  edges: readonly (readonly [number, number])[],
): (from: number, to: number) => boolean {
  const reach = Array.from({ length: n * n }, (_, cell) => Math.floor(cell / n) === cell % n);
  for (const [a, b] of edges) reach[a * n + b] = true;
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) if (reach[i * n + k] && reach[k * n + j]) reach[i * n + j] = true;
  return (from, to) => reach[from * n + to] === true;
}

test('property: +x is x with its upstream closure, x+ with its downstream closure', () => {
  fc.assert(
    fc.property(randomDag, fc.nat(), ([n, edges], pick) => {
      const dag = selectionGraph(planOf(n, edges));
      const reach = closure(n, edges);
      const x = pick % n;
      const up = Array.from({ length: n }, (_, i) => i).filter((i) => reach(i, x));
      const down = Array.from({ length: n }, (_, j) => j).filter((j) => reach(x, j));
      const names = (ids: number[]) => ids.map((i) => `s.d${i}`).sort();
      expect(selectDatasets(dag, { select: [`+s.d${x}`] })).toEqual(names(up));
      expect(selectDatasets(dag, { select: [`s.d${x}+`] })).toEqual(names(down));
      expect(selectDatasets(dag, { select: [`+s.d${x}+`] })).toEqual(names([...new Set([...up, ...down])]));
    }),
    { numRuns: 300 },
  );
});
