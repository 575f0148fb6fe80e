// Loading a project directory: where documents are looked for, defaults, and every file problem
// reported as an issue with its place, never thrown.
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadProject } from '../src/index.js';
import { renderIssues } from './support/render-issue.js';
import { contractYaml, type TempProject, writeTempProject } from './support/temp-project.js';

const PIPELINE = `apiVersion: pipectl/v1
kind: Pipeline
name: daily
steps:
  - name: copy
    produces: sales.copy
    sqlFile: sql/copy.sql
`;

let project: TempProject | undefined;
afterEach(async () => {
  await project?.remove();
  project = undefined;
});

describe('a project directory', () => {
  test('is read recursively from contracts/ and pipelines/, .yaml and .yml alike', async () => {
    project = await writeTempProject({
      'contracts/sales/orders.contract.yaml': contractYaml('sales.orders', ['id']),
      'contracts/sales/nested/deeper/copy.contract.yml': contractYaml('sales.copy', ['id']),
      'contracts/README.md': '# not a contract',
      'pipelines/daily.pipeline.yaml': PIPELINE,
      'pipelines/sql/copy.sql': "select id from {{ ref('sales.orders') }}",
    });
    const loaded = await loadProject(project.dir);
    expect(loaded.issues).toEqual([]);
    expect(loaded.contracts.map((c) => c.file)).toEqual([
      'contracts/sales/nested/deeper/copy.contract.yml',
      'contracts/sales/orders.contract.yaml',
    ]);
    expect(loaded.sql.get('daily/copy')).toEqual({
      text: "select id from {{ ref('sales.orders') }}",
      file: 'pipelines/sql/copy.sql',
      fromFile: true,
    });
  });

  test('takes its name and defaults from the directory when there is no pipectl.yaml', async () => {
    project = await writeTempProject(
      { 'contracts/a.contract.yaml': contractYaml('sales.a', ['id']) },
      'warehouse-x',
    );
    const loaded = await loadProject(project.dir);
    expect(loaded.project).toEqual({
      apiVersion: 'pipectl/v1',
      kind: 'Project',
      name: 'warehouse-x',
      contracts: 'contracts',
      pipelines: 'pipelines',
      warehouse: { path: '.pipectl/warehouse.duckdb' },
      temporal: { address: 'localhost:7233', namespace: 'default', taskQueue: 'pipectl' },
    });
    expect(loaded.pipelines).toEqual([]);
  });

  test('follows the folders pipectl.yaml names', async () => {
    project = await writeTempProject({
      'pipectl.yaml':
        'apiVersion: pipectl/v1\nkind: Project\nname: shop\ncontracts: model/contracts\npipelines: model/flows\n',
      'model/contracts/a.contract.yaml': contractYaml('sales.a', ['id']),
      'contracts/ignored.contract.yaml': contractYaml('sales.ignored', ['id']),
    });
    const loaded = await loadProject(project.dir);
    expect(loaded.issues).toEqual([]);
    expect(loaded.project.name).toBe('shop');
    expect(loaded.projectFile).toBe('pipectl.yaml');
    expect(loaded.contracts.map((c) => c.value.name)).toEqual(['sales.a']);
  });
});

describe('problems in a project directory are issues', () => {
  test('a directory with neither folders nor pipectl.yaml is no project', async () => {
    project = await writeTempProject({ 'notes.txt': 'hello' });
    const loaded = await loadProject(project.dir);
    expect(loaded.issues.map((issue) => issue.code)).toEqual(['PIPE2010']);
  });

  test('a directory that does not exist is no project either', async () => {
    const loaded = await loadProject('/nonexistent/pipectl-project');
    expect(loaded.issues).toMatchObject([
      {
        code: 'PIPE2010',
        message: 'no project at "/nonexistent/pipectl-project": the directory does not exist',
      },
    ]);
  });

  test('an unreadable document is reported, and the others still load', async () => {
    project = await writeTempProject({ 'contracts/a.contract.yaml': contractYaml('sales.a', ['id']) });
    await symlink(join(project.dir, 'nowhere.yaml'), join(project.dir, 'contracts', 'b.contract.yaml'));
    const loaded = await loadProject(project.dir);
    expect(renderIssues(loaded.issues)).toMatchInlineSnapshot(
      `"PIPE1013 contracts/b.contract.yaml cannot read "contracts/b.contract.yaml" (ENOENT)"`,
    );
    expect(loaded.contracts).toHaveLength(1);
  });

  test('a missing sqlFile is located at the sqlFile value', async () => {
    project = await writeTempProject({
      'contracts/copy.contract.yaml': contractYaml('sales.copy', ['id']),
      'pipelines/daily.pipeline.yaml': PIPELINE,
    });
    const loaded = await loadProject(project.dir);
    expect(renderIssues(loaded.issues)).toMatchInlineSnapshot(
      `"PIPE2009 pipelines/daily.pipeline.yaml:7:14 sqlFile "sql/copy.sql" of step "copy" does not exist (looked for "pipelines/sql/copy.sql") (the path is relative to the pipeline file)"`,
    );
    expect(loaded.sql.has('daily/copy')).toBe(false);
  });

  test('every broken file is reported, not only the first', async () => {
    project = await writeTempProject({
      'contracts/a.contract.yaml': 'apiVersion: pipectl/v1\nkind: Contract\nname: sales.a\n',
      'contracts/b.contract.yaml': '',
      'pipelines/c.pipeline.yaml': 'kind: [unclosed\n',
    });
    const loaded = await loadProject(project.dir);
    expect([...new Set(loaded.issues.map((issue) => issue.file))]).toEqual([
      'contracts/a.contract.yaml',
      'contracts/b.contract.yaml',
      'pipelines/c.pipeline.yaml',
    ]);
    expect(loaded.unloaded.contracts).toEqual(new Set(['sales.a']));
  });
});
