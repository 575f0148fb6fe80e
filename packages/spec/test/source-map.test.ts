// SourceMap: from a path in the YAML (and an offset inside a string) back to line:col.
import { describe, expect, test } from 'vitest';
import { LineCounter, parseDocument as parseYaml, parse as parseYamlData } from 'yaml';
import { type IssuePath, parseDocument, SourceMap, type Span } from '../src/index.js';
import { fixtureText } from './support.js';

function mapOf(text: string): SourceMap {
  const lineCounter = new LineCounter();
  return new SourceMap(parseYaml(text, { lineCounter }), lineCounter, text);
}

/** `line:col` of a span, checked against its offset, and the text found there. */
function at(text: string, span: Span | undefined, length = 8): string {
  if (!span) return 'nowhere';
  const before = text.slice(0, span.offset);
  const line = before.split('\n').length;
  const col = span.offset - (before.lastIndexOf('\n') + 1) + 1;
  expect({ line: span.line, col: span.col }).toEqual({ line, col });
  return `${span.line}:${span.col} ${JSON.stringify(text.slice(span.offset, span.offset + length))}`;
}

const PIPELINE = `apiVersion: pipectl/v1
kind: Pipeline
name: orders_daily
steps:
  - name: orders
    produces: sales.orders
    sql: |
      select
        order_id,
          amount
      from {{ ref('raw') }}
    gates:
      - check: not_null
        column: order_id
  - name: empty
    sql:
`;

describe('spanOf, keySpanOf, has', () => {
  const map = mapOf(PIPELINE);

  test.each<[IssuePath, string]>([
    [[], '1:1 "apiVersi"'],
    [['name'], '3:7 "orders_d"'],
    [['steps', 0], '5:5 "name: or"'],
    [['steps', 0, 'gates', 0, 'column'], '14:17 "order_id"'],
    // A path that does not exist falls back to its nearest ancestor.
    [['steps', 0, 'retry', 'maximumAttempts'], '5:5 "name: or"'],
    [['steps', 7], '5:3 "- name: "'],
    // A key with nothing after it points at the key.
    [['steps', 1, 'sql'], '16:5 "sql:\\n"'],
  ])('the value at %j is at %s', (path, expected) => {
    expect(at(PIPELINE, map.spanOf(path))).toBe(expected);
  });

  test('keySpanOf points at the key, for unknown-key issues', () => {
    expect(at(PIPELINE, map.keySpanOf(['steps', 0, 'produces']))).toBe('6:5 "produces"');
    expect(at(PIPELINE, map.keySpanOf(['steps', 0, 'nope']))).toBe('5:5 "name: or"');
  });

  test('a span covers the whole value', () => {
    expect(map.spanOf(['steps', 0, 'produces'])).toMatchObject({ line: 6, col: 15, endLine: 6, endCol: 27 });
  });

  test('has tells whether a path is written in the document', () => {
    expect(map.has(['steps', 0, 'gates', 0, 'check'])).toBe(true);
    expect(map.has(['steps', 0, 'retry'])).toBe(false);
    expect(map.has(['steps', 2])).toBe(false);
  });

  test('pathAtOffset finds the key or value at a character offset', () => {
    expect(map.pathAtOffset(PIPELINE.indexOf('produces'))).toEqual(['steps', 0, 'produces']);
    expect(map.pathAtOffset(PIPELINE.indexOf('sales.orders'))).toEqual(['steps', 0, 'produces']);
    expect(map.pathAtOffset(PIPELINE.indexOf('amount'))).toEqual(['steps', 0, 'sql']);
    expect(map.pathAtOffset(PIPELINE.indexOf('not_null'))).toEqual(['steps', 0, 'gates', 0, 'check']);
    expect(map.pathAtOffset(0)).toEqual(['apiVersion']);
  });
});

describe('spanInScalar', () => {
  const map = mapOf(PIPELINE);
  const sql = "select\n  order_id,\n    amount\nfrom {{ ref('raw') }}\n";

  test.each([
    ['select', '8:7 "select\\n "'],
    ['order_id', '9:9 "order_id"'],
    // A line indented deeper than the block keeps its extra indentation.
    ['amount', '10:11 "amount\\n "'],
    ['from', '11:7 "from {{ "'],
    ["ref('raw')", '11:15 "ref(\'raw"'],
  ])('maps %j inside a `sql: |` block to its line and column', (needle, expected) => {
    expect(at(PIPELINE, map.spanInScalar(['steps', 0, 'sql'], sql.indexOf(needle)))).toBe(expected);
  });

  test('maps through a block with a strip indicator and leading blank lines', () => {
    const text = 'sql: |-\n\n    select 1\n    from t\n';
    const span = mapOf(text).spanInScalar(['sql'], '\nselect 1\nfrom t'.indexOf('from'));
    expect(at(text, span)).toBe('4:5 "from t\\n"');
  });

  test('maps through a block with an indentation indicator', () => {
    const text = 'steps:\n  - sql: |2\n        select 1\n      from t\n';
    const value = '  select 1\nfrom t\n';
    expect(at(text, mapOf(text).spanInScalar(['steps', 0, 'sql'], value.indexOf('select')))).toBe(
      '3:9 "select 1"',
    );
    expect(at(text, mapOf(text).spanInScalar(['steps', 0, 'sql'], value.indexOf('from')))).toBe(
      '4:7 "from t\\n"',
    );
  });

  test.each([
    ['a plain scalar', 'type: decimal(12,\n', 'decimal(12,', 11, '1:18 "\\n"'],
    ['a double-quoted scalar', 'type: "struct(a integr)"\n', 'struct(a integr)', 9, '1:17 "integr)\\""'],
    [
      'a double-quoted scalar with escapes',
      'q: "say \\"hi\\" to \\u00e9t\\u00e9 now"\n',
      'say "hi" to été now',
      16,
      '1:33 "now\\"\\n"',
    ],
    ['a single-quoted scalar with a doubled quote', "q: 'it''s bad'\n", "it's bad", 5, '1:11 "bad\'\\n"'],
  ])('maps an offset inside %s', (_, text, value, offset, expected) => {
    expect(value.length).toBeGreaterThan(0);
    expect(at(text, mapOf(text).spanInScalar([text.split(':')[0] as string], offset))).toBe(expected);
  });

  test('falls back to the whole scalar where lines are folded', () => {
    const folded = 'q: >\n  select 1\n  from t\n';
    expect(at(folded, mapOf(folded).spanInScalar(['q'], 9))).toBe('1:4 ">\\n  sele"');
    const plain = 'q: select 1\n  from t\n';
    expect(at(plain, mapOf(plain).spanInScalar(['q'], 9))).toBe('1:4 "select 1"');
  });

  test('an offset past the end is clamped to the end of the value', () => {
    const text = 'q: abc\n';
    expect(at(text, mapOf(text).spanInScalar(['q'], 99))).toBe('1:7 "\\n"');
  });

  test('a path that is not a scalar falls back to spanOf', () => {
    expect(map.spanInScalar(['steps', 0], 3)).toEqual(map.spanOf(['steps', 0]));
    expect(map.spanInScalar(['steps', 0, 'nope'], 3)).toEqual(map.spanOf(['steps', 0]));
  });
});

describe('a map made from text builds its document only when a place is asked for', () => {
  test.each(['full.contract.yaml', 'full.pipeline.yaml', 'pipectl.yaml'])(
    'valid %s is read without building one',
    (name) => {
      const result = parseDocument(name, fixtureText(`valid/${name}`));
      expect(result.issues).toEqual([]);
      expect(result.document?.sourceMap.isParsed).toBe(false);
    },
  );

  test('its places are those of a map built eagerly', () => {
    const lazy = SourceMap.fromText(PIPELINE, parseYamlData(PIPELINE));
    const eager = mapOf(PIPELINE);
    for (const path of [
      [],
      ['name'],
      ['steps', 0, 'sql'],
      ['steps', 0, 'nope'],
      ['steps', 9],
    ] as IssuePath[]) {
      expect(lazy.spanOf(path)).toEqual(eager.spanOf(path));
      expect(lazy.keySpanOf(path)).toEqual(eager.keySpanOf(path));
    }
    expect(lazy.spanInScalar(['steps', 0, 'sql'], 10)).toEqual(eager.spanInScalar(['steps', 0, 'sql'], 10));
    expect(lazy.isParsed).toBe(true);
  });

  test('`has` answers from the data, and asks the document only about a null', () => {
    const text = 'a: 1\nb:\nc: [x]\n';
    const map = SourceMap.fromText(text, { a: 1, b: null, c: ['x'] });
    expect([map.has(['a']), map.has(['c', 0]), map.has(['c', 1]), map.has(['z'])]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(map.isParsed).toBe(false);
    expect(map.has(['b'])).toBe(mapOf(text).has(['b']));
    expect(map.isParsed).toBe(true);
  });
});
