// Property: whenever the fast reader (js-yaml) answers, its data is exactly what the `yaml`
// package reads, and the `yaml` package finds no error in the text. So a file read the fast way
// means what it always meant, and every file with a problem goes to the exact, located reader.
// Texts: every YAML file in the repository, and the same files mutated near YAML's own syntax.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { fastParse } from '../src/loader/fast-parse.js';

const SCALE = Number(process.env.PIPECTL_FUZZ_SCALE ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

const root = join(import.meta.dirname, '..', '..', '..');
const files = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((file) => file !== '' && !file.endsWith('pnpm-lock.yaml'))
  .map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }));

/** What the exact reader makes of the text: its data when it has one document and no error. */
function exactRead(text: string): { ok: true; value: unknown } | { ok: false } {
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true });
  const all = Array.isArray(docs) ? docs : [docs];
  if (all.some((doc) => doc.errors.length > 0) || all.length !== 1) return { ok: false };
  try {
    return { ok: true, value: (all[0] as (typeof all)[number]).toJS({ maxAliasCount: 100 }) };
  } catch {
    return { ok: false };
  }
}

function agree(text: string): void {
  const fast = fastParse(text);
  if (!fast) return;
  const exact = exactRead(text);
  expect(exact.ok, `the fast reader accepted a text the exact reader refuses:\n${text}`).toBe(true);
  if (exact.ok) expect(fast.value).toEqual(exact.value);
}

describe('the fast YAML reader agrees with the exact one', () => {
  test('on every YAML file in the repository', () => {
    expect(files.length).toBeGreaterThan(50);
    let fastlyRead = 0;
    for (const { text } of files) {
      agree(text);
      if (fastParse(text)) fastlyRead++;
    }
    // Most real files take the fast way; otherwise the speed-up is gone.
    expect(fastlyRead / files.length).toBeGreaterThan(0.8);
  });

  test('on those files mutated around YAML syntax', () => {
    const syntax = [
      ' ',
      '  ',
      ':',
      ': ',
      '-',
      '- ',
      '\t',
      '#',
      "'",
      '"',
      '[',
      ']',
      '{',
      '}',
      ',',
      '|',
      '>',
      '&a ',
      '*a',
      '!',
      '?',
      '\n',
      '---\n',
      '~',
      '0x1F',
      '1e3',
      '.inf',
      'yes',
      '@',
      '%',
      '\\',
      '0o7',
    ];
    const mutation = fc.record({
      file: fc.nat({ max: files.length - 1 }),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      kind: fc.constantFrom('insert', 'delete', 'indent', 'dedent', 'duplicate-line'),
      piece: fc.constantFrom(...syntax),
    });
    fc.assert(
      fc.property(mutation, ({ file, at, kind, piece }) => {
        const text = (files[file] as { text: string }).text;
        const offset = Math.floor(at * text.length);
        const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
        const lineEnd = text.indexOf('\n', offset) === -1 ? text.length : text.indexOf('\n', offset) + 1;
        const mutated =
          kind === 'insert'
            ? text.slice(0, offset) + piece + text.slice(offset)
            : kind === 'delete'
              ? text.slice(0, offset) + text.slice(offset + 1)
              : kind === 'indent'
                ? `${text.slice(0, lineStart)} ${text.slice(lineStart)}`
                : kind === 'dedent'
                  ? text.slice(0, lineStart) + text.slice(lineStart).replace(/^ /, '')
                  : text.slice(0, lineEnd) + text.slice(lineStart, lineEnd) + text.slice(lineEnd);
        agree(mutated);
      }),
      { numRuns: runs(1500), seed: 14 },
    );
  });

  test.each([
    [
      'octal, hex, floats and YAML 1.1 words',
      'a: 0o17\nb: 0x1F\nc: 1.0\nd: -.inf\ne: 1e3\nf: TRUE\ng: yes\nh: 1_000\ni: ~\nj:\n',
    ],
    ['block scalars', 'a: |\n  one\n  two\nb: >-\n  folded\n  text\n\nc: |+\n  kept\n\n'],
    ['flow collections', 'a: [1, "two", {b: c}]\nd: {e: [f, g]}\n'],
    ['quoted escapes', `a: "tab\\there \\u00e9"\nb: 'it''s'\n`],
  ])('on %s', (_name, text) => {
    expect(fastParse(text)).toBeDefined();
    agree(text);
  });

  test.each([
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['an alias', 'a: &x 1\nb: *x\n'],
    ['an explicit tag', 'a: !!str 1\n'],
    ['a non-string key', '1: one\n'],
    ['a null key', '~: none\n'],
    ['a YAML 1.1 directive', '%YAML 1.1\n---\na: yes\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['an empty document', '---\n'],
    ['a tab as indentation', 'a:\n\t- b\n'],
  ])('leaves %s to the exact reader', (_name, text) => {
    expect(fastParse(text)).toBeUndefined();
  });
});
