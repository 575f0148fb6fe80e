// The façade, through the library: a copy of examples/task-analytics opened on its targets,
// compiled, published by the engine into the target's warehouse (the embedded DuckDB file, and a
// local DuckLake), and asked for a dataset's history; and the errors a caller gets for a target
// that cannot be used and a dataset nobody declares.
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPipeline } from '@pipectl/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedProject, openProject, ProjectIssuesError, UnknownDatasetError } from '../src/index.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/task-analytics', import.meta.url));
const FACT = 'analytics.fct_task_events';

let workdir: string;
let dir: string;

/** Runs every pipeline of the project on its target as `runId`, as `pipectl test` would. */
async function publishAll(project: OpenedProject, runId: string): Promise<void> {
  const { plan, issues } = await project.compile();
  expect(issues.filter((issue) => issue.severity === 'error')).toEqual([]);
  const contracts = new Map(project.loaded.contracts.map((doc) => [doc.value.name, doc.value]));
  const warehouse = await project.openWarehouse();
  try {
    for (const pipeline of plan.pipelines) {
      const report = await runPipeline(warehouse, { pipeline, contracts, runId, projectDir: project.dir });
      expect(report.passed, `run ${runId} of ${pipeline.name}`).toBe(true);
    }
  } finally {
    warehouse.close();
  }
}

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'pipectl-project-'));
  dir = join(workdir, 'task-analytics');
  cpSync(EXAMPLE, dir, { recursive: true, filter: (path) => !path.includes('.pipectl') });
  appendFileSync(
    join(dir, 'pipectl.yaml'),
    [
      'targets:',
      '  lake:',
      '    warehouse: { kind: ducklake, catalog: .pipectl/lake.ducklake, dataPath: .pipectl/lake }',
      '  prod:',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: pipectl.yaml's own ${VAR} syntax
      '    warehouse: { kind: ducklake, catalog: "postgres:host=db password=${PG_PASSWORD}", dataPath: /data }',
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe('openProject', () => {
  it('gives a declared dataset an empty history before anything is published, without creating a warehouse', async () => {
    const project = await openProject(dir);
    expect(project.target().name).toBe('default');
    expect(project.describeWarehouse()).toBe(join(dir, '.pipectl/warehouse.duckdb'));
    expect(await project.history(FACT)).toEqual({ dataset: FACT, versions: [] });
    // Read-only (what `verify` opens) refuses a warehouse that is not there, rather than creating it.
    await expect(project.openWarehouse({ readOnly: true })).rejects.toMatchObject({ code: 'PIPE5216' });
    expect(existsSync(join(dir, '.pipectl/warehouse.duckdb'))).toBe(false);
  });

  it.each(['default', 'lake'])(
    'numbers the publications of a dataset from 1, oldest first (target %s)',
    async (target) => {
      const project = await openProject(dir, { target });
      await publishAll(project, `${target}-run-1`);
      await publishAll(project, `${target}-run-2`);
      const { versions } = await project.history(FACT);
      expect(versions.map((v) => [v.version, v.runId, v.dataset])).toEqual([
        [1, `${target}-run-1`, FACT],
        [2, `${target}-run-2`, FACT],
      ]);
    },
  );

  it('compiles once however often it is asked', async () => {
    const project = await openProject(dir);
    expect(await project.compile()).toBe(await project.compile());
  });

  it('names an unknown dataset with the closest one', async () => {
    const project = await openProject(dir);
    const error = await project.history('analytics.fct_task_event').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownDatasetError);
    expect(error).toMatchObject({ code: 'PIPE2003', dataset: 'analytics.fct_task_event' });
    expect((error as Error).message).toContain(FACT);
  });

  it('refuses a target it cannot use with the issues located in pipectl.yaml', async () => {
    const unknown = await openProject(dir, { target: 'staging' });
    const error = (() => {
      try {
        unknown.target();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ProjectIssuesError);
    expect(error).toMatchObject({ code: 'PIPE1031', projectDir: dir });

    const unset = await openProject(dir, { target: 'prod', env: {} });
    const unsetError = await unset.history(FACT).catch((e: unknown) => e);
    expect(unsetError).toBeInstanceOf(ProjectIssuesError);
    const [issue] = (unsetError as ProjectIssuesError).issues;
    expect(issue).toMatchObject({ file: 'pipectl.yaml', span: { line: expect.any(Number) } });
    expect(issue?.message).toContain('PG_PASSWORD');
  });
});
