// Where a project's Temporal is, through the library: pipectl.yaml's `temporal:`, a target's own
// `temporal`, TEMPORAL_* variables and explicit values in that order of precedence, and the errors
// a caller gets for a target that cannot be used or a target named without a pipectl.yaml.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectIssuesError, projectTemporalSettings } from '../src/index.js';
import { NoProjectFileError } from '../src/temporal-settings.js';

let dir: string;
let bare: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pipectl-temporal-'));
  bare = mkdtempSync(join(tmpdir(), 'pipectl-bare-'));
  writeFileSync(
    join(dir, 'pipectl.yaml'),
    [
      'apiVersion: pipectl/v1',
      'kind: Project',
      'name: shop',
      'warehouse:',
      '  path: .pipectl/warehouse.duckdb',
      'temporal:',
      '  namespace: analytics',
      'targets:',
      '  prod:',
      '    warehouse:',
      '      kind: duckdb',
      '      path: prod.duckdb',
      '    temporal:',
      `      address: \${TEMPORAL_PROD}`,
      '      namespace: data',
      '',
    ].join('\n'),
  );
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(bare, { recursive: true, force: true });
});

describe('projectTemporalSettings', () => {
  it("takes pipectl.yaml's temporal, and the project's own task queue", async () => {
    const settings = await projectTemporalSettings(dir, { env: {} });
    expect(settings).toMatchObject({
      address: 'localhost:7233',
      namespace: 'analytics',
      taskQueue: 'pipectl-shop',
      project: 'shop',
    });
    expect(settings.target).toBeUndefined();
  });

  it("a target's temporal wins over pipectl.yaml's; TEMPORAL_* variables over both; explicit values over everything", async () => {
    const env = { TEMPORAL_PROD: 'temporal.internal:7233' };
    expect(await projectTemporalSettings(dir, { target: 'prod', env })).toMatchObject({
      address: 'temporal.internal:7233',
      namespace: 'data',
      taskQueue: 'pipectl-shop',
      target: { name: 'prod' },
    });
    expect(
      await projectTemporalSettings(dir, { target: 'prod', env: { ...env, TEMPORAL_NAMESPACE: 'ci' } }),
    ).toMatchObject({ namespace: 'ci' });
    expect(
      await projectTemporalSettings(dir, {
        target: 'prod',
        env: { ...env, TEMPORAL_NAMESPACE: 'ci' },
        overrides: { namespace: 'mine', taskQueue: 'q', address: undefined },
      }),
    ).toMatchObject({ address: 'temporal.internal:7233', namespace: 'mine', taskQueue: 'q' });
  });

  it('a target that cannot be used is a ProjectIssuesError located in pipectl.yaml; lenient leaves it out', async () => {
    const unset = await projectTemporalSettings(dir, { target: 'prod', env: {} }).catch((e: unknown) => e);
    expect(unset).toBeInstanceOf(ProjectIssuesError);
    const error = unset as ProjectIssuesError;
    expect(error.message).toBe('target "prod" cannot be used');
    expect(error.issues[0]).toMatchObject({ file: 'pipectl.yaml' });
    expect(error.issues[0]?.message).toContain('TEMPORAL_PROD');
    const unknown = await projectTemporalSettings(dir, { target: 'staging', env: {} }).catch(
      (e: unknown) => e,
    );
    expect(unknown).toBeInstanceOf(ProjectIssuesError);
    expect((unknown as ProjectIssuesError).issues[0]?.message).toContain('unknown target "staging"');
    expect(await projectTemporalSettings(dir, { target: 'staging', env: {}, lenient: true })).toMatchObject({
      namespace: 'analytics',
      project: 'shop',
    });
  });

  it('without pipectl.yaml: the directory names the project; naming a target is PIPE2042', async () => {
    const settings = await projectTemporalSettings(bare, { env: {} });
    expect(settings.project).toBe(bare.split('/').at(-1));
    expect(settings.taskQueue).toBe(`pipectl-${settings.project}`);
    const error = await projectTemporalSettings(bare, { target: 'prod', env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoProjectFileError);
    expect((error as NoProjectFileError).code).toBe('PIPE2042');
    expect((error as NoProjectFileError).hint).toContain('targets:');
  });
});

describe('a pipectl.yaml the caller already parsed', () => {
  it('is used instead of reading the directory again (null: the project has none)', async () => {
    const { parseDocument } = await import('@pipectl/spec');
    const parsed = parseDocument(
      'pipectl.yaml',
      ['apiVersion: pipectl/v1', 'kind: Project', 'name: orders', 'temporal:', '  namespace: sales', ''].join(
        '\n',
      ),
    );
    if (parsed.document?.kind !== 'Project') throw new Error('the test document did not parse');

    const given = await projectTemporalSettings(bare, { projectDocument: parsed.document, env: {} });
    const none = await projectTemporalSettings(dir, { projectDocument: null, env: {} });

    expect(given).toMatchObject({ project: 'orders', namespace: 'sales', taskQueue: 'pipectl-orders' });
    // The directory's own pipectl.yaml (namespace analytics) was not read.
    expect(none).toMatchObject({ namespace: 'default', taskQueue: `pipectl-${basename(dir)}` });
  });
});
