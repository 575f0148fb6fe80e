// The pure core of the catalog site: the compiled project (plan, lineage graph, contracts), and
// what the warehouse's registry and Temporal said when they were read, into one CatalogModel.
// Impact is `pipectl check`'s own answer (impactOf from @pipectl/check), so the site and the check
// name the same consumers; compatibility between published versions is @pipectl/compat's verdict.
import { impactOf } from '@pipectl/check';
import { checkCompatibility } from '@pipectl/compat';
import type { LineageGraph, ProjectPlan } from '@pipectl/compiler';
import type { Contract, QualityCheck } from '@pipectl/spec';
import type {
  CatalogCheck,
  CatalogCheckResults,
  CatalogDataset,
  CatalogEdge,
  CatalogImpact,
  CatalogModel,
  CatalogPipeline,
  CatalogRun,
  CatalogVersion,
  SearchEntry,
  SourceState,
} from './catalog-model.js';

/** A publication as the registry keeps it (`PublishedVersion` of @pipectl/engine fits). */
export interface Publication {
  readonly runId: string;
  readonly step?: string;
  readonly contractVersion: string;
  readonly schema: Contract;
  readonly schemaHash: string;
  readonly rowsWritten: number;
  readonly publishedAt: string;
  readonly approval?: { readonly by: string; readonly decision: string; readonly comment?: string };
}

/** A check's result as the results table keeps it (`RecordedCheck` of @pipectl/engine fits). */
export interface CheckRecord {
  readonly checkId: string;
  readonly kind: string;
  readonly origin: string;
  readonly column?: string;
  readonly severity: string;
  readonly status: string;
  readonly passed: boolean;
  readonly outcome: string;
  readonly expected: string;
  readonly observed: string;
  readonly checkedAt: string;
  readonly runId: string;
  readonly contractVersion: string;
}

/** A run as Temporal lists it (`RunSummary` of @pipectl/runtime fits). */
export interface RunRecord {
  readonly runId: string;
  readonly pipeline: string | null;
  readonly status: string | null;
  readonly execution: string;
  readonly logicalDate: string | null;
  readonly startTime: Date;
  readonly closeTime?: Date;
}

export interface CatalogInput {
  readonly plan: ProjectPlan;
  readonly graph: LineageGraph;
  /** The project's contracts, by dataset name. */
  readonly contracts: ReadonlyMap<string, Contract>;
  /** Publications by dataset, oldest first; absent when the warehouse was not read. */
  readonly publications?: ReadonlyMap<string, readonly Publication[]>;
  readonly warehouse?: SourceState;
  /** Check results by dataset, oldest first; absent when the warehouse was not read. */
  readonly checkResults?: ReadonlyMap<string, readonly CheckRecord[]>;
  /** Results kept per check for its trend (default 20). */
  readonly resultsPerCheck?: number;
  /** Runs of the project, newest first; absent when Temporal was not read. */
  readonly runs?: readonly RunRecord[];
  readonly temporal?: SourceState;
  /** The run's page in the Temporal web UI, when its address is known. */
  readonly runUrl?: (runId: string) => string | undefined;
  /** Runs kept per pipeline (default 10). */
  readonly runsPerPipeline?: number;
  readonly now?: Date;
  /**
   * Only these datasets get pages, edges and search entries (`pipectl docs build --select`), and
   * only the pipelines writing one of them; impact is still computed on the whole project.
   */
  readonly only?: ReadonlySet<string>;
}

/**
 * @example const model = buildCatalogModel({ plan, graph, contracts });
 * model.impact['raw.orders.amount']?.datasets.map((d) => d.name) // ['mart.fct_order_items', ...]
 */
export function buildCatalogModel(input: CatalogInput): CatalogModel {
  const { plan, graph, contracts } = input;
  const readBy = new Map<string, string[]>();
  const datasetEdges: CatalogEdge[] = [];
  for (const pipeline of plan.pipelines) {
    for (const source of pipeline.sources)
      datasetEdges.push({
        from: originOf(source),
        to: source.dataset,
        via: `${pipeline.name}/${source.name}`,
      });
    for (const step of pipeline.steps) {
      const via = `${pipeline.name}/${step.name}`;
      for (const read of step.reads) {
        datasetEdges.push({ from: read.dataset, to: step.produces, via });
        readBy.set(read.dataset, [...(readBy.get(read.dataset) ?? []), via]);
      }
    }
  }
  const columnEdges: CatalogEdge[] = [];
  graph.graph.forEachEdge((_key, edge, _source, _target, from, to) => {
    if (edge.kind === 'derives') columnEdges.push({ from: from.name, to: to.name, via: edge.step });
  });

  const runUrl = input.runUrl ?? (() => undefined);
  const datasets = plan.datasets.map((dataset): CatalogDataset => {
    const contract = contracts.get(dataset.name);
    const producer = dataset.producedBy;
    return {
      name: dataset.name,
      ...(contract?.description ? { description: contract.description } : {}),
      owner: dataset.owner,
      version: dataset.version,
      compatibility: dataset.compatibility,
      approvers: dataset.approvers,
      tags: contract?.tags ?? [],
      file: dataset.file,
      producedBy: producer
        ? `${producer.pipeline}/${'step' in producer ? producer.step : producer.source}`
        : null,
      readBy: [...new Set(readBy.get(dataset.name) ?? [])].sort(),
      columns: (contract?.columns ?? dataset.columns).map((column) => {
        const c = column as Partial<Contract['columns'][number]> & { name: string; type: string };
        return {
          name: c.name,
          type: c.type,
          ...(c.description ? { description: c.description } : {}),
          nullable: c.nullable ?? true,
          primaryKey: c.primaryKey ?? false,
          unique: c.unique ?? false,
          ...(c.references ? { references: c.references } : {}),
          ...(c.pii ? { pii: c.pii } : {}),
          ...(c.acceptedValues ? { acceptedValues: c.acceptedValues } : {}),
          tags: c.tags ?? [],
        };
      }),
      quality: (contract?.quality ?? []).map(checkOf),
      ...(contract?.freshness ? { freshness: contract.freshness } : {}),
      waivers: (contract?.except ?? []).map((w) => ({
        rule: w.rule,
        ...(w.path ? { path: w.path } : {}),
        reason: w.reason,
      })),
      versions: versionsOf(input.publications?.get(dataset.name) ?? [], runUrl),
      checkResults: checkResultsOf(
        input.checkResults?.get(dataset.name) ?? [],
        input.resultsPerCheck ?? 20,
        runUrl,
      ),
    };
  });

  const perPipeline = input.runsPerPipeline ?? 10;
  const pipelines = plan.pipelines.map(
    (pipeline): CatalogPipeline => ({
      name: pipeline.name,
      ...(pipeline.description ? { description: pipeline.description } : {}),
      ...(pipeline.owner ? { owner: pipeline.owner } : {}),
      file: pipeline.file,
      schedule: pipeline.schedule
        ? { cron: pipeline.schedule.cron, timezone: pipeline.schedule.timezone }
        : null,
      dependsOnPipelines: pipeline.dependsOnPipelines,
      sources: pipeline.sources.map((source) => ({
        name: source.name,
        kind: source.kind,
        dataset: source.dataset,
        from: originOf(source),
      })),
      steps: pipeline.steps.map((step) => ({
        name: step.name,
        ...(step.description ? { description: step.description } : {}),
        produces: step.produces,
        materialized: step.materialized,
        reads: step.reads.map((read) => read.dataset),
        dependsOn: step.dependsOn,
        ...(step.sqlFile ? { sqlFile: step.sqlFile } : {}),
        ...(step.sql ? { sql: step.sql } : {}),
        gates: step.gates.map(checkOf),
      })),
      runs: (input.runs ?? [])
        .filter((run) => run.pipeline === pipeline.name)
        .slice(0, perPipeline)
        .map((run) => runOf(run, runUrl)),
    }),
  );

  const impact: Record<string, CatalogImpact> = {};
  for (const dataset of datasets) {
    impact[dataset.name] = impactFor(graph, dataset.name);
    for (const column of dataset.columns) {
      const name = `${dataset.name}.${column.name}`;
      impact[name] = impactFor(graph, name);
    }
  }

  const only = input.only;
  const kept = (name: string) => only === undefined || only.has(name);
  const keptColumn = (name: string) => kept(name.split('.').slice(0, 2).join('.'));
  const keptDatasets = datasets.filter((dataset) => kept(dataset.name));
  const keptPipelines = pipelines.filter(
    (pipeline) =>
      only === undefined ||
      pipeline.steps.some((step) => kept(step.produces)) ||
      pipeline.sources.some((source) => kept(source.dataset)),
  );
  const keptImpact =
    only === undefined
      ? impact
      : Object.fromEntries(Object.entries(impact).filter(([name]) => keptColumn(name)));

  return {
    project: {
      name: plan.project.name,
      ...(plan.project.description ? { description: plan.project.description } : {}),
      generatedAt: (input.now ?? new Date()).toISOString(),
      ...(plan.project.docs ? { docsUrl: plan.project.docs.url } : {}),
      warehouse: input.warehouse ?? { state: input.publications ? 'read' : 'skipped' },
      runs: input.temporal ?? { state: input.runs ? 'read' : 'skipped' },
    },
    datasets: keptDatasets,
    pipelines: keptPipelines,
    datasetEdges: datasetEdges.filter(
      (edge) => kept(edge.to) && (edge.from.includes(':') || kept(edge.from)),
    ),
    columnEdges: columnEdges.filter((edge) => keptColumn(edge.to) && keptColumn(edge.from)),
    impact: keptImpact,
    search: searchEntries(keptDatasets, keptPipelines),
  };
}

const EMPTY_IMPACT: CatalogImpact = { datasets: [], columns: [], pipelines: [], owners: [] };

function impactFor(graph: LineageGraph, target: string): CatalogImpact {
  const found = impactOf(graph, target);
  if (!found) return EMPTY_IMPACT;
  const { datasets, columns, pipelines, owners } = found;
  return { datasets, columns, pipelines, owners };
}

function originOf(source: ProjectPlan['pipelines'][number]['sources'][number]): string {
  if ('path' in source && typeof source.path === 'string') return `${source.kind}: ${source.path}`;
  if ('table' in source && typeof source.table === 'string') return `${source.kind}: ${source.table}`;
  return `${source.kind}: query`;
}

/** Settings of a check that say what it checks (not how it reports). */
const REPORTING = new Set(['check', 'name', 'description', 'severity', 'samples', 'onFail']);

function checkOf(check: QualityCheck): CatalogCheck {
  const fields = Object.entries(check).filter(
    ([key, value]) => !REPORTING.has(key) && !(key === 'maxFailing' && value === 0),
  );
  const column = 'column' in check && typeof check.column === 'string' ? check.column : undefined;
  return {
    id: check.name ?? (column ? `${check.check}_${column}` : check.check),
    check: check.check,
    severity: check.severity,
    detail: fields
      .map(([key, value]) => `${key}=${Array.isArray(value) ? `[${value.join(', ')}]` : String(value)}`)
      .join(' '),
  };
}

function versionsOf(
  publications: readonly Publication[],
  runUrl: (runId: string) => string | undefined,
): CatalogVersion[] {
  return publications.map((publication, i) => {
    const before = publications[i - 1];
    const report = before ? checkCompatibility([before.schema], publication.schema) : undefined;
    const verdict = !report
      ? 'first'
      : report.breaking
        ? 'breaking'
        : report.needsReview
          ? 'review'
          : 'compatible';
    const url = runUrl(publication.runId);
    return {
      contractVersion: publication.contractVersion,
      publishedAt: publication.publishedAt,
      runId: publication.runId,
      ...(publication.step ? { step: publication.step } : {}),
      rowsWritten: publication.rowsWritten,
      schemaHash: publication.schemaHash,
      verdict,
      changes: (report?.changes ?? []).map((change) => ({
        rule: change.rule,
        path: change.path,
        verdict: change.verdict,
      })),
      ...(publication.approval ? { approval: publication.approval } : {}),
      ...(url ? { runUrl: url } : {}),
    };
  });
}

/** Results grouped by check (sorted by id), each with its last `perCheck` results. */
function checkResultsOf(
  records: readonly CheckRecord[],
  perCheck: number,
  runUrl: (runId: string) => string | undefined,
): CatalogCheckResults[] {
  const byCheck = new Map<string, CheckRecord[]>();
  for (const record of records) byCheck.set(record.checkId, [...(byCheck.get(record.checkId) ?? []), record]);
  return [...byCheck.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([id, all]) => {
      const sorted = [...all].sort((a, b) =>
        a.checkedAt < b.checkedAt ? -1 : a.checkedAt > b.checkedAt ? 1 : 0,
      );
      const trend = sorted.slice(-Math.max(1, perCheck)).map((record) => {
        const url = runUrl(record.runId);
        return {
          status: record.status,
          passed: record.passed,
          outcome: record.outcome,
          severity: record.severity,
          expected: record.expected,
          observed: record.observed,
          checkedAt: record.checkedAt,
          runId: record.runId,
          contractVersion: record.contractVersion,
          ...(url ? { runUrl: url } : {}),
        };
      });
      const latest = sorted[sorted.length - 1];
      const last = trend[trend.length - 1];
      if (!latest || !last) return [];
      return [
        {
          id,
          kind: latest.kind,
          ...(latest.column !== undefined ? { column: latest.column } : {}),
          severity: latest.severity,
          origin: latest.origin,
          latest: last,
          trend,
        },
      ];
    });
}

function runOf(run: RunRecord, runUrl: (runId: string) => string | undefined): CatalogRun {
  const url = runUrl(run.runId);
  return {
    runId: run.runId,
    status: run.status ?? run.execution.toLowerCase(),
    logicalDate: run.logicalDate,
    startTime: run.startTime.toISOString(),
    ...(run.closeTime ? { closeTime: run.closeTime.toISOString() } : {}),
    ...(url ? { url } : {}),
  };
}

function searchEntries(
  datasets: readonly CatalogDataset[],
  pipelines: readonly CatalogPipeline[],
): SearchEntry[] {
  const entries: SearchEntry[] = [];
  const owners = new Set<string>();
  const tags = new Set<string>();
  for (const dataset of datasets) {
    const page = `contract/${dataset.name}`;
    entries.push({
      kind: 'dataset',
      name: dataset.name,
      page,
      text: [dataset.description ?? '', dataset.owner, ...dataset.tags].join(' '),
    });
    owners.add(dataset.owner);
    for (const tag of dataset.tags) tags.add(tag);
    for (const column of dataset.columns) {
      entries.push({
        kind: 'column',
        name: `${dataset.name}.${column.name}`,
        page: `${page}/${column.name}`,
        text: [
          column.type,
          column.description ?? '',
          column.pii ? `pii ${column.pii}` : '',
          ...column.tags,
        ].join(' '),
      });
      for (const tag of column.tags) tags.add(tag);
    }
  }
  for (const pipeline of pipelines) {
    entries.push({
      kind: 'pipeline',
      name: pipeline.name,
      page: `pipeline/${pipeline.name}`,
      text: [pipeline.description ?? '', pipeline.owner ?? ''].join(' '),
    });
    if (pipeline.owner) owners.add(pipeline.owner);
  }
  for (const owner of [...owners].sort())
    entries.push({ kind: 'owner', name: owner, page: `search/${owner}`, text: '' });
  for (const tag of [...tags].sort())
    entries.push({ kind: 'tag', name: tag, page: `search/${tag}`, text: '' });
  return entries;
}
