// The extraction tests' world: a copy of the fixture project `shop` in a temporary folder (so
// tests may add, break or lock files), its contracts and pipeline parsed by @pipectl/spec, and
// a fresh DuckDB warehouse file.
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Contract, type Pipeline, parseDocument, type Source } from '@pipectl/spec';
import type { ExtractReport } from '../../src/extract/extract-report.js';
import type { ExtractSourceOptions } from '../../src/extract/extract-source.js';
import { extractSource, openWarehouse, type Warehouse } from '../../src/index.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/extract/shop/', import.meta.url));

export interface Shop {
  readonly projectDir: string;
  readonly warehouse: Warehouse;
  readonly pipeline: Pipeline;
  contract(dataset: string): Contract;
  source(name: string): Source;
  /** Extracts a source of the fixture pipeline into its contract's relation (or `target`). */
  extract(
    name: string,
    options?: Partial<Omit<ExtractSourceOptions, 'source'>> & { source?: Partial<Source> },
  ): Promise<ExtractReport>;
  /** Rows as JSON-safe values. */
  rows<T extends Record<string, unknown> = Record<string, unknown>>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

export async function openShop(): Promise<Shop> {
  const projectDir = await mkdtemp(join(tmpdir(), 'pipectl-extract-'));
  await cp(FIXTURE, projectDir, { recursive: true });
  const contracts = new Map<string, Contract>();
  for (const file of await readdir(join(projectDir, 'contracts'))) {
    const contract = (await parsed(join(projectDir, 'contracts', file), 'Contract')) as Contract;
    contracts.set(contract.name, contract);
  }
  const pipeline = (await parsed(
    join(projectDir, 'pipelines', 'shop.pipeline.yaml'),
    'Pipeline',
  )) as Pipeline;
  const warehouse = await openWarehouse(join(projectDir, 'warehouse.duckdb'));
  const contract = (dataset: string) => {
    const found = contracts.get(dataset);
    if (!found) throw new Error(`no contract ${dataset} in the fixture`);
    return found;
  };
  const source = (name: string) => {
    const found = pipeline.sources.find((s) => s.name === name);
    if (!found) throw new Error(`no source ${name} in the fixture`);
    return found;
  };
  return {
    projectDir,
    warehouse,
    pipeline,
    contract,
    source,
    extract(name, options = {}) {
      const { source: overrides, ...rest } = options;
      const chosen = { ...source(name), ...overrides } as Source;
      return extractSource({
        warehouse,
        projectDir,
        pipeline: pipeline.name,
        source: chosen,
        contract: contract(chosen.contract),
        target: chosen.contract,
        runId: 'run-1',
        env: {},
        ...rest,
      });
    },
    rows: (sql) => warehouse.json(sql),
    async close() {
      warehouse.close();
      await rm(projectDir, { recursive: true, force: true });
    },
  };
}

async function parsed(file: string, kind: 'Contract' | 'Pipeline'): Promise<unknown> {
  const result = parseDocument(file, await readFile(file, 'utf8'));
  if (result.document?.kind !== kind || result.issues.some((issue) => issue.severity === 'error')) {
    throw new Error(`fixture ${file} does not parse: ${JSON.stringify(result.issues)}`);
  }
  return result.document.value;
}
