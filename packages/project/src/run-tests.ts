// `project.test(...)`: runs the tested work (tested-work.ts) end to end on a scratch warehouse
// under .pipectl/test/, through the engine, and returns the pipelines' reports. The scratch is of
// the target's kind: a DuckDB file, or for a DuckLake target a DuckLake with a local catalog file
// and data folder (the lake's code paths, without touching the team's catalog server). Nothing is
// written to the project's warehouse; the scratch is deleted unless `keep`.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PipelinePlan } from '@pipectl/compiler';
import {
  openTargetWarehouse,
  type PipelineReport,
  type ProgressSink,
  projectReadablePaths,
  runPipeline,
} from '@pipectl/engine';
import type { Contract, Project, WarehouseTarget } from '@pipectl/spec';

export interface TestOptions {
  /** Keep the scratch warehouse to look at it (`scratch` in the report says where). */
  readonly keep?: boolean;
  /** Sources, steps and checks as they start and finish (the engine's progress events). */
  readonly progress?: ProgressSink;
  /** Told the scratch warehouse's path once it is chosen, before anything runs. */
  readonly onScratch?: (path: string) => void;
}

export interface TestReport {
  /** The pipeline tested, or "selection" when only datasets were given, or "project" for everything. */
  readonly name: string;
  /** Every pipeline ran and passed its error-severity gates. */
  readonly passed: boolean;
  /** The scratch warehouse (the DuckDB file, or the DuckLake's catalog file); gone unless `kept`. */
  readonly scratch: string;
  readonly kept: boolean;
  /** One report per pipeline run, upstream first. */
  readonly pipelines: readonly PipelineReport[];
}

export interface TestInput {
  readonly root: string;
  readonly project: Project;
  readonly contracts: readonly Contract[];
  /** What to run, in order (tested-work.ts). */
  readonly work: readonly PipelinePlan[];
  /** Every pipeline of the project: their source folders are readable from the scratch warehouse. */
  readonly pipelines: readonly PipelinePlan[];
  readonly kind: WarehouseTarget['kind'];
  readonly name: string;
}

export async function runTests(input: TestInput, options: TestOptions = {}): Promise<TestReport> {
  const { root } = input;
  const dir = join(root, '.pipectl', 'test');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const scratch = scratchOf(input.kind, join(dir, `${input.name}-${stamp}-${process.pid}`));
  const runId = `test-${stamp}-${process.pid}`;
  options.onScratch?.(scratch.shown);
  const contracts = new Map(input.contracts.map((contract) => [contract.name, contract]));

  // Sandboxed: the scratch warehouse reads only its own files and the project's source folders.
  const warehouse = await openTargetWarehouse({ warehouse: scratch.warehouse }, root, {
    readable: projectReadablePaths(root, input.project, input.pipelines),
  });
  const pipelines: PipelineReport[] = [];
  try {
    for (const pipeline of input.work) {
      pipelines.push(
        await runPipeline(warehouse, {
          pipeline,
          contracts,
          runId,
          projectDir: root,
          // On the scratch file, a Parquet source checked in place stays a view over its files:
          // the checks saw those rows, and copying them in would be half the time of a large one.
          sourcesInPlace: scratch.warehouse.kind === 'duckdb',
          ...(options.progress ? { progress: options.progress } : {}),
        }),
      );
    }
  } finally {
    warehouse.close();
    if (!options.keep) for (const path of scratch.files) rmSync(path, { recursive: true, force: true });
  }
  return {
    name: input.name,
    passed: pipelines.every((report) => report.passed),
    scratch: scratch.shown,
    kept: options.keep === true,
    pipelines,
  };
}

/**
 * The scratch warehouse of a test run, of the target's kind. A DuckLake target is tested on a lake
 * with a local catalog file: the same engine paths as a PostgreSQL catalog (no keys, snapshots,
 * lake transactions) without needing the team's catalog server or its credentials.
 */
function scratchOf(
  kind: WarehouseTarget['kind'],
  base: string,
): { warehouse: WarehouseTarget; shown: string; files: string[] } {
  if (kind === 'duckdb') {
    const path = `${base}.duckdb`;
    return { warehouse: { kind, path }, shown: path, files: [path, `${path}.wal`] };
  }
  const catalog = `${base}.ducklake`;
  const dataPath = `${base}.lake`;
  return {
    warehouse: { kind, catalog, dataPath },
    shown: catalog,
    files: [catalog, `${catalog}.wal`, dataPath],
  };
}
