// Loading a project directory: where documents are looked for, defaults, and every file problem
// reported as an issue with its place, never thrown.
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { fileSystemFiles, loadProject } from '../src/index.js';
import { asUnprivileged } from './support/as-unprivileged.js';
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
      temporal: { address: 'localhost:7233', namespace: 'default' }, // taskQueue: resolveTarget's pipectl-<name>
      compatibility: { review: { default: 'fail', rules: {} } },
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

  test('an unreadable folder is named, with the fix, not skipped', async () => {
    project = await writeTempProject({
      'contracts/a.contract.yaml': contractYaml('sales.a', ['id']),
      'contracts/locked/b.contract.yaml': contractYaml('sales.b', ['id']),
    });
    const locked = join(project.dir, 'contracts', 'locked');
    await chmod(locked, 0o000);
    const dir = project.dir;
    const loaded = await asUnprivileged(locked, () => loadProject(dir)).finally(() => chmod(locked, 0o755));
    expect(renderIssues(loaded.issues)).toMatchInlineSnapshot(
      `"PIPE1013 contracts/locked cannot read folder "contracts/locked" (EACCES) in the contracts folder; the documents in it are not loaded (make it readable by the user running pipectl (chmod a+rx "contracts/locked"), or move it out of the contracts folder)"`,
    );
    expect(loaded.issues[0]?.severity).toBe('error');
  });

  test.each([
    ['/', 'the whole disk'],
    ['../elsewhere', 'elsewhere'],
  ])(
    'contracts: %s is refused at its line in pipectl.yaml, before anything is read',
    async (folder, shown) => {
      project = await writeTempProject({
        'pipectl.yaml': `apiVersion: pipectl/v1\nkind: Project\nname: shop\ncontracts: ${folder}\n`,
        'pipelines/.keep': '',
      });
      const loaded = await loadProject(project.dir);
      expect(loaded.issues).toHaveLength(1);
      expect(loaded.issues[0]).toMatchObject({
        code: 'PIPE2012',
        file: 'pipectl.yaml',
        path: ['contracts'],
        span: { line: 4, col: 12 },
        message: expect.stringContaining(shown),
        hint: expect.stringContaining('contracts: contracts'),
      });
    },
  );

  test('a folder with more entries than a project has is refused at its setting', async () => {
    project = await writeTempProject({
      'pipectl.yaml': 'apiVersion: pipectl/v1\nkind: Project\nname: shop\ncontracts: data\n',
    });
    await mkdir(join(project.dir, 'data', 'deep'), { recursive: true });
    for (let i = 0; i < 12; i++) await writeFile(join(project.dir, 'data', 'deep', `f${i}.csv`), '');
    const loaded = await loadProject(project.dir, { files: fileSystemFiles({ maxEntries: 10 }) });
    expect(renderIssues(loaded.issues)).toMatchInlineSnapshot(
      `"PIPE2013 pipectl.yaml:4:12 contracts folder "data" holds more than 10 files and folders; pipectl stopped looking (point \`contracts:\` in pipectl.yaml at the folder with the *.contract.yaml files)"`,
    );
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
