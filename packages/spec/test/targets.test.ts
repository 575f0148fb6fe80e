// Targets in pipectl.yaml: named warehouses (and Temporals) with secrets from the environment only.
// A project without `targets:` keeps working as the implicit target "default".
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax users write in pipectl.yaml is the subject
import { describe, expect, test } from 'vitest';
import { type Project, parseDocument, resolveTarget, unsetTargetVariables } from '../src/index.js';
import { renderIssues } from './support.js';

const PROJECT = `apiVersion: pipectl/v1
kind: Project
name: shop
target: dev
targets:
  dev:
    warehouse: { kind: duckdb, path: .pipectl/dev.duckdb }
  local_lake:
    warehouse: { kind: ducklake, catalog: .pipectl/lake.ducklake, dataPath: .pipectl/lake }
  prod:
    warehouse:
      kind: ducklake
      catalog: postgres:host=db.internal dbname=lake user=pipectl password=\${PGPASSWORD}
      dataPath: \${LAKE_DATA}
    temporal:
      address: temporal.internal:7233
      namespace: shop
      tls: { serverName: temporal.internal, certFile: /etc/pipectl/client.pem, keyEnv: TEMPORAL_TLS_KEY }
`;

const parse = (text: string) => parseDocument('pipectl.yaml', text);
const project = (text = PROJECT) => parse(text).document?.value as Project;

describe('targets', () => {
  test('a project file with targets loads, and `target:` picks the default one', () => {
    expect(parse(PROJECT).issues).toEqual([]);
    expect(resolveTarget(project(), { env: {} })).toEqual({
      ok: true,
      target: {
        name: 'dev',
        warehouse: { kind: 'duckdb', path: '.pipectl/dev.duckdb' },
        temporal: { address: 'localhost:7233', namespace: 'default', taskQueue: 'pipectl-shop' },
      },
    });
  });

  test('a named target reads its variables from the environment and keeps the top-level Temporal defaults', () => {
    const resolved = resolveTarget(project(), {
      name: 'prod',
      env: { PGPASSWORD: 's3cret', LAKE_DATA: '/mnt/lake', TEMPORAL_TLS_KEY: 'pem' },
    });
    expect(resolved).toMatchObject({
      ok: true,
      target: {
        warehouse: {
          kind: 'ducklake',
          catalog: 'postgres:host=db.internal dbname=lake user=pipectl password=s3cret',
          dataPath: '/mnt/lake',
        },
        temporal: { address: 'temporal.internal:7233', namespace: 'shop', taskQueue: 'pipectl-shop' },
      },
    });
  });

  test('a project without targets is the implicit target "default": its top-level warehouse', () => {
    const plain = project(
      'apiVersion: pipectl/v1\nkind: Project\nname: shop\nwarehouse: { path: w.duckdb }\n',
    );
    expect(resolveTarget(plain, { env: {} })).toMatchObject({
      ok: true,
      target: { name: 'default', warehouse: { kind: 'duckdb', path: 'w.duckdb' } },
    });
  });

  test('a variable that is not set is an error naming it when the target is used', () => {
    const resolved = resolveTarget(project(), { name: 'prod', env: { PGPASSWORD: 'x' } });
    expect(resolved.ok).toBe(false);
    const issues = resolved.ok ? [] : resolved.issues;
    expect(issues.map((issue) => [issue.code, issue.severity, issue.path.join('.'), issue.message])).toEqual([
      [
        'PIPE2030',
        'error',
        'targets.prod.warehouse.dataPath',
        'target "prod" reads the environment variable LAKE_DATA, which is not set',
      ],
      [
        'PIPE2030',
        'error',
        'targets.prod.temporal.tls.keyEnv',
        'target "prod" reads the environment variable TEMPORAL_TLS_KEY, which is not set',
      ],
    ]);
    expect(unsetTargetVariables(project(), { PGPASSWORD: 'x' }).map((v) => v.variable)).toEqual([
      'LAKE_DATA',
      'TEMPORAL_TLS_KEY',
    ]);
  });

  test('an unknown target given on the command line says which exist', () => {
    const resolved = resolveTarget(project(), { name: 'prd', env: {} });
    expect(resolved).toMatchObject({
      ok: false,
      issues: [
        {
          code: 'PIPE1031',
          message: 'unknown target "prd" (did you mean "prod"?)',
          expected: 'one of: default, dev, local_lake, prod',
        },
      ],
    });
  });

  test('a literal password, and a `target:` naming no target, are located errors', () => {
    const text = PROJECT.replace('password=${PGPASSWORD}', 'password=hunter2').replace(
      'target: dev',
      'target: stage',
    );
    expect(renderIssues(parse(text).issues)).toMatchInlineSnapshot(`
      "PIPE1031 pipectl.yaml:4:9 target unknown target "stage" (name a target listed under \`targets:\`, or remove \`target:\` to use the top-level warehouse)
      PIPE1030 pipectl.yaml:13:16 targets.prod.warehouse.catalog target "prod" writes a secret in pipectl.yaml (password=): secrets come from environment variables only (replace the password with a \`\${VAR}\` reference such as \`password=\${PGPASSWORD}\`, set that variable where pipectl runs, and rotate the password that was written here)"
    `);
  });

  test('a password in a PostgreSQL URL is refused too, a ${VAR} one is not', () => {
    const url = (catalog: string) =>
      parse(
        `apiVersion: pipectl/v1\nkind: Project\nname: shop\ntargets:\n  prod:\n    warehouse: { kind: ducklake, catalog: "${catalog}", dataPath: /mnt/lake }\n`,
      ).issues.map((issue) => issue.code);
    expect(url('postgres:postgresql://pipectl:hunter2@db/lake')).toEqual(['PIPE1030']);
    expect(url('postgres:postgresql://pipectl:${PGPASSWORD}@db/lake')).toEqual([]);
    expect(url('postgres:host=db dbname=lake user=pipectl')).toEqual([]);
  });

  test('a warehouse of an unknown kind is a located error listing the kinds', () => {
    const text = PROJECT.replace('kind: duckdb, path', 'kind: bigquery, path');
    expect(parse(text).issues.map((issue) => [issue.code, issue.span?.line])).toEqual([['PIPE1007', 7]]);
  });

  describe('openlineage', () => {
    const LINEAGE = `apiVersion: pipectl/v1
kind: Project
name: shop
openlineage:
  transports: [{ type: console }]
targets:
  prod:
    warehouse: { kind: duckdb, path: .pipectl/prod.duckdb }
    openlineage:
      namespace: shop-prod
      transports:
        - type: http
          url: \${MARQUEZ_URL}
          apiKeyEnv: MARQUEZ_API_KEY
        - type: file
          path: .pipectl/lineage.ndjson
`;

    test('is off unless configured; a target resolves its transports with their variables', () => {
      expect(resolveTarget(project(), { env: {} })).not.toHaveProperty('target.openlineage');
      expect(parse(LINEAGE).issues).toEqual([]);
      expect(resolveTarget(project(LINEAGE), { env: {} })).toMatchObject({
        ok: true,
        target: { name: 'default', openlineage: { transports: [{ type: 'console' }] } },
      });
      expect(
        resolveTarget(project(LINEAGE), { name: 'prod', env: { MARQUEZ_URL: 'http://marquez:5000' } }),
      ).toMatchObject({
        ok: true,
        target: {
          openlineage: {
            namespace: 'shop-prod',
            transports: [
              {
                type: 'http',
                url: 'http://marquez:5000',
                endpoint: 'api/v1/lineage',
                apiKeyEnv: 'MARQUEZ_API_KEY',
                timeoutMs: 5000,
              },
              { type: 'file', path: '.pipectl/lineage.ndjson' },
            ],
          },
        },
      });
      expect(unsetTargetVariables(project(LINEAGE), {}).map((v) => v.variable)).toEqual(['MARQUEZ_URL']);
    });

    test('a bad URL, a credential in it, and a token written as apiKeyEnv are located errors', () => {
      const bad = (url: string, key = 'MARQUEZ_API_KEY') =>
        renderIssues(parse(LINEAGE.replace('${MARQUEZ_URL}', url).replace('MARQUEZ_API_KEY', key)).issues);
      expect(bad('marquez:5000')).toMatchInlineSnapshot(
        `"PIPE7020 pipectl.yaml:13:16 targets.prod.openlineage.transports[0].url OpenLineage transport URL "marquez:5000" is not an http(s) URL (write the scheme, host and port; events are POSTed to <url>/<endpoint> (endpoint defaults to api/v1/lineage))"`,
      );
      expect(bad('http://ol:s3cret@marquez:5000')).toMatchInlineSnapshot(
        `"PIPE7021 pipectl.yaml:13:16 targets.prod.openlineage.transports[0].url OpenLineage transport URL carries a credential: pipectl.yaml is committed (put the token in an environment variable, name it in \`apiKeyEnv\`, and rotate the one that was written here)"`,
      );
      expect(bad('http://marquez:5000', 'eyJhbGciOi.secret-token')).toMatchInlineSnapshot(
        `"PIPE7021 pipectl.yaml:14:22 targets.prod.openlineage.transports[0].apiKeyEnv apiKeyEnv names the environment variable holding the token, not the token itself (set the token in a variable where the worker runs (a CI or Kubernetes secret), write its name here, and rotate the token if this value was one)"`,
      );
      expect(
        parse(LINEAGE.replace('type: console', 'type: kafka')).issues.map((i) => [i.code, i.span?.line]),
      ).toEqual([['PIPE1007', 5]]);
    });
  });
});
