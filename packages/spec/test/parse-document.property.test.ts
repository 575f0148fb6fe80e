// Property: whatever text it is given, parseDocument never throws and always explains itself,
// either with a usable document or with at least one located, coded issue.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { ISSUE_CODES, type ParseResult, parseDocument } from '../src/index.js';
import { fixtureText } from './support.js';

/** Runs per property; PIPECTL_FUZZ_SCALE=50 searches harder, locally. */
const SCALE = Number(process.env.PIPECTL_FUZZ_SCALE ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

const FIXTURES = [
  ['full.contract.yaml', fixtureText('valid/full.contract.yaml')],
  ['full.pipeline.yaml', fixtureText('valid/full.pipeline.yaml')],
  ['pipectl.yaml', fixtureText('valid/pipectl.yaml')],
] as const;

function checkResult(file: string, text: string): void {
  let result: ParseResult | undefined;
  expect(() => {
    result = parseDocument(file, text);
  }).not.toThrow();
  if (!result) return;
  const errors = result.issues.filter((issue) => issue.severity === 'error');
  if (result.document) {
    // Only errors that leave a document usable (a schedule, a check's column type) come with it.
    expect(errors.filter((issue) => !['PIPE1016', 'PIPE1017', 'PIPE1018'].includes(issue.code))).toEqual([]);
  } else {
    expect(errors.length).toBeGreaterThanOrEqual(1);
  }
  const lines = text.split('\n').length;
  for (const issue of result.issues) {
    expect(issue.code).toMatch(/^PIPE\d{4}$/);
    expect(Object.keys(ISSUE_CODES)).toContain(issue.code);
    expect(issue.message.trim()).not.toBe('');
    expect(issue.file).toBe(file);
    if (text !== '') {
      expect(issue.span, `${issue.code} ${issue.message}`).toBeDefined();
      expect(issue.span?.line).toBeGreaterThanOrEqual(1);
      expect(issue.span?.line).toBeLessThanOrEqual(lines);
      expect(issue.span?.col).toBeGreaterThanOrEqual(1);
    }
  }
}

/** Bits of YAML and of pipectl documents, to build text that is nearly but not quite valid. */
const yamlToken = fc.constantFrom(
  'apiVersion: pipectl/v1\n',
  'kind: Contract\n',
  'kind: Pipeline\n',
  'kind: Project\n',
  'name: sales.orders\n',
  'version: 1.0.0\n',
  'owner: me\n',
  'columns:\n',
  'steps:\n',
  'sources:\n',
  'quality:\n',
  '  - name: id\n',
  '    type: bigint\n',
  '    type: decimal(12,\n',
  '  - check: not_null\n',
  '    column: id\n',
  '    sql: |\n      select 1\n',
  '- ',
  ': ',
  '\n',
  '  ',
  '\t',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  ',',
  '&a ',
  '*a',
  '---\n',
  '# comment\n',
  '? ',
  '!!int ',
  '~',
  'null',
  '__proto__: x\n',
);

describe('parseDocument on arbitrary input', () => {
  test('arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) =>
        checkResult('any.contract.yaml', text),
      ),
      { numRuns: runs(200) },
    );
  });

  test('token soups of YAML and pipectl fragments', () => {
    fc.assert(
      fc.property(
        fc.array(yamlToken, { maxLength: 30 }),
        fc.constantFrom('a.contract.yaml', 'a.pipeline.yaml', 'pipectl.yaml'),
        (tokens, file) => checkResult(file, tokens.join('')),
      ),
      { numRuns: runs(300) },
    );
  });

  test('arbitrary JSON values written as YAML', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) =>
        checkResult('any.pipeline.yaml', stringifyYaml(value)),
      ),
      { numRuns: runs(200) },
    );
  });

  test('arbitrary mappings that claim to be pipectl documents', () => {
    const document = fc.record({
      apiVersion: fc.constantFrom('pipectl/v1', 'pipectl/v2'),
      kind: fc.constantFrom('Contract', 'Pipeline', 'Project', 'Contrct'),
      rest: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
    });
    fc.assert(
      fc.property(document, ({ rest, ...head }) =>
        checkResult('doc.contract.yaml', stringifyYaml({ ...head, ...rest })),
      ),
      { numRuns: runs(200) },
    );
  });
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value inside `value`, parents before children. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

type Mutation = { kind: 'remove' } | { kind: 'rename'; suffix: string } | { kind: 'retype'; value: Json };

/** Applies a mutation at `path` of a deep copy of `root`. */
function mutate(root: Json, path: (string | number)[], mutation: Mutation): Json {
  const copy = structuredClone(root);
  let parent: Json = copy;
  for (const part of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[part] as Json;
  const last = path[path.length - 1] as string | number;
  const container = parent as Record<string | number, Json>;
  if (mutation.kind === 'retype') {
    container[last] = mutation.value;
  } else if (Array.isArray(parent) && typeof last === 'number') {
    if (mutation.kind === 'remove') parent.splice(last, 1);
  } else if (mutation.kind === 'remove') {
    delete container[last];
  } else {
    const value = container[last] as Json;
    delete container[last];
    const key = String(last);
    container[mutation.suffix === '' ? key.slice(0, -1) || 'x' : `${key}${mutation.suffix}`] = value;
  }
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: 'remove' as const }),
  fc.record({ kind: fc.constant('rename' as const), suffix: fc.constantFrom('', 's', '_', 'X') }),
  fc.record({
    kind: fc.constant('retype' as const),
    value: fc.oneof(
      fc.constantFrom<Json>(
        null,
        true,
        0,
        -1,
        1.5,
        '',
        'x',
        [],
        {},
        ['a'],
        { a: 1 },
        'decimal(40,2)',
        'Contract',
      ),
      fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
    ),
  }),
);

describe('parseDocument on mutated valid fixtures', () => {
  test.each(FIXTURES)('%s with keys removed, renamed or retyped', (file, text) => {
    const original = parseYaml(text) as Json;
    const paths = pathsOf(original);
    const mutations = fc.array(fc.tuple(fc.nat({ max: paths.length - 1 }), mutation), {
      minLength: 1,
      maxLength: 3,
    });
    fc.assert(
      fc.property(mutations, (steps) => {
        let value = original;
        for (const [index, change] of steps) {
          const candidates = pathsOf(value);
          const path = candidates[index % Math.max(1, candidates.length)];
          if (path) value = mutate(value, path, change);
        }
        checkResult(file, stringifyYaml(value));
      }),
      { numRuns: runs(150) },
    );
  });

  test.each(FIXTURES)('%s with characters deleted or inserted', (file, text) => {
    const edit = fc.tuple(fc.nat({ max: text.length }), fc.nat({ max: 8 }), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let mutated = text;
        for (const [at, remove, insert] of edits) {
          const start = at % (mutated.length + 1);
          mutated = mutated.slice(0, start) + insert + mutated.slice(start + remove);
        }
        checkResult(file, mutated);
      }),
      { numRuns: runs(150) },
    );
  });
});
