// What engine-once.ts and statements.ts both run on: the benchmark's pipeline and its contracts
// from a compiled project, and a scratch warehouse of the project's kind (a scratch DuckDB file for
// the embedded default, the project's own lakehouse target for a DuckLake project), removed on close.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CompileResult, LoadedProject } from '@pipectl/compiler';
import { openTargetWarehouse, openWarehouse, projectReadablePaths, type Warehouse } from '@pipectl/engine';
import { type Contract, resolveTarget } from '@pipectl/spec';
import { PIPELINE } from './generate.js';

export interface ScratchRun {
  readonly pipeline: CompileResult['plan']['pipelines'][number];
  readonly contracts: ReadonlyMap<string, Contract>;
  readonly warehouse: Warehouse;
  /** Closes the warehouse and removes a scratch file. */
  close(): void;
}

/** `name` tells the scratch file apart (`.pipectl/<name>-scratch-<pid>.duckdb`). */
export async function openScratchRun(
  dir: string,
  loaded: LoadedProject,
  compiled: CompileResult,
  name: string,
): Promise<ScratchRun> {
  const pipeline = compiled.plan.pipelines.find((p) => p.name === PIPELINE);
  if (!pipeline) throw new Error(`no pipeline ${PIPELINE} in ${dir}`);
  const contracts = new Map<string, Contract>(loaded.contracts.map((doc) => [doc.value.name, doc.value]));
  const file = join(dir, '.pipectl', `${name}-scratch-${process.pid}.duckdb`);
  mkdirSync(join(dir, '.pipectl'), { recursive: true });
  const readable = projectReadablePaths(dir, compiled.project, compiled.plan.pipelines);
  const target = resolveTarget(compiled.project, { env: process.env });
  if (!target.ok) throw new Error(`the project's target cannot be used: ${JSON.stringify(target.issues)}`);
  const warehouse =
    target.target.warehouse.kind === 'ducklake'
      ? await openTargetWarehouse(target.target, dir, { readable })
      : await openWarehouse(file, { readable });
  return {
    pipeline,
    contracts,
    warehouse,
    close() {
      warehouse.close();
      for (const suffix of ['', '.wal']) rmSync(`${file}${suffix}`, { force: true });
    },
  };
}
