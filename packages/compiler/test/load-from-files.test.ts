// Loading through a ProjectFiles other than the file system (how @pipectl/check reads a git
// revision), and reusing parse results across two loads.
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { type FileKind, loadProject, type ParseCache, type ProjectFiles } from '../src/index.js';
import { contractYaml, type TempProject, writeTempProject } from './support/temp-project.js';

const PIPELINE = `apiVersion: pipectl/v1
kind: Pipeline
name: daily
steps:
  - name: copy
    produces: sales.copy
    sqlFile: sql/copy.sql
`;

/** Files held in memory, keyed by absolute path; folders are implied by the paths. */
function memoryFiles(root: string, files: Record<string, string>): ProjectFiles & { reads: string[] } {
  const texts = new Map(Object.entries(files).map(([path, text]) => [join(root, path), text]));
  const reads: string[] = [];
  const isDirectory = (path: string) => [...texts.keys()].some((file) => file.startsWith(`${path}/`));
  return {
    reads,
    async kind(path): Promise<FileKind | undefined> {
      if (texts.has(path)) return 'file';
      return isDirectory(path) ? 'directory' : undefined;
    },
    async list(dir) {
      return [...texts.keys()].filter((file) => file.startsWith(`${dir}/`) && !file.includes('/.'));
    },
    async read(path) {
      reads.push(path);
      const text = texts.get(path);
      if (text === undefined) throw Object.assign(new Error(`no ${path}`), { code: 'ENOENT' });
      return text;
    },
  };
}

const PROJECT = {
  'contracts/sales/orders.contract.yaml': contractYaml('sales.orders', ['id']),
  'contracts/sales/copy.contract.yaml': contractYaml('sales.copy', ['id']),
  'contracts/.hidden/ignored.contract.yaml': contractYaml('sales.ignored', ['id']),
  'pipelines/daily.pipeline.yaml': PIPELINE,
  'pipelines/sql/copy.sql': "select id from {{ ref('sales.orders') }}",
};

let project: TempProject | undefined;
afterEach(async () => {
  await project?.remove();
  project = undefined;
});

describe('a project read through ProjectFiles', () => {
  test('loads from memory exactly as it loads from the file system', async () => {
    project = await writeTempProject(PROJECT);
    const fromDisk = await loadProject(project.dir);
    const fromMemory = await loadProject(project.dir, { files: memoryFiles(project.dir, PROJECT) });
    const summary = (loaded: typeof fromDisk) => ({
      contracts: loaded.contracts.map((c) => [c.file, c.value.name]),
      pipelines: loaded.pipelines.map((p) => p.file),
      sql: [...loaded.sql],
      issues: loaded.issues,
    });
    expect(summary(fromMemory)).toEqual(summary(fromDisk));
    expect(summary(fromMemory).contracts).toEqual([
      ['contracts/sales/copy.contract.yaml', 'sales.copy'],
      ['contracts/sales/orders.contract.yaml', 'sales.orders'],
    ]);
  });

  test('a file the source cannot read is an issue with the reason it gave', async () => {
    const root = '/virtual/project';
    const files = memoryFiles(root, PROJECT);
    const failing: ProjectFiles = {
      ...files,
      read: (path) =>
        path.endsWith('copy.sql') ? Promise.reject(new Error('binary file, not text')) : files.read(path),
    };
    const loaded = await loadProject(root, { files: failing });
    expect(loaded.issues.map((issue) => [issue.code, issue.message])).toEqual([
      ['PIPE1013', 'cannot read "pipelines/sql/copy.sql" (binary file, not text)'],
    ]);
  });

  test('a folder that is not there is no project, whatever the source', async () => {
    const loaded = await loadProject('/virtual/elsewhere', {
      files: memoryFiles('/virtual/project', PROJECT),
    });
    expect(loaded.issues.map((issue) => issue.code)).toEqual(['PIPE2010']);
  });
});

describe('a parse cache shared by two loads', () => {
  test('reuses the documents whose text did not change, and parses the others', async () => {
    const root = '/virtual/project';
    const parsed: ParseCache = new Map();
    const before = await loadProject(root, { files: memoryFiles(root, PROJECT), parsed });
    const changed = {
      ...PROJECT,
      'contracts/sales/copy.contract.yaml': contractYaml('sales.copy', ['id', 'x']),
    };
    const after = await loadProject(root, { files: memoryFiles(root, changed), parsed });
    const byFile = (loaded: typeof before, file: string) => loaded.contracts.find((c) => c.file === file);
    const orders = 'contracts/sales/orders.contract.yaml';
    const copy = 'contracts/sales/copy.contract.yaml';
    expect(byFile(after, orders)).toBe(byFile(before, orders));
    expect(byFile(after, copy)).not.toBe(byFile(before, copy));
    expect(byFile(after, copy)?.value.columns.map((c) => c.name)).toEqual(['id', 'x']);
  });
});
