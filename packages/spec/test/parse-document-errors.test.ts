// Bad input: every problem comes back as a located, coded issue with a message a person can act on.
import { describe, expect, test } from 'vitest';
import { parseDocument } from '../src/index.js';
import { parseFixture, renderIssues } from './support.js';

function problems(fixture: string): string {
  const result = parseFixture(`invalid/${fixture}`);
  expect(result.document).toBeUndefined();
  return renderIssues(result.issues);
}

function problemsIn(file: string, text: string): string {
  return renderIssues(parseDocument(file, text).issues);
}

describe('YAML that does not parse', () => {
  // Broken YAML lives here rather than in fixtures/, where the formatter would trip over it.
  const UNCLOSED_QUOTE = `apiVersion: pipectl/v1
kind: Contract
name: sales.orders
version: 1.0.0
owner: "sales-data@example.com
columns:
  - name: order_id
    type: bigint
`;
  const BAD_INDENT = `apiVersion: pipectl/v1
kind: Contract
name: sales.orders
version: 1.0.0
owner: sales-data@example.com
columns:
  - name: order_id
     type: bigint
`;

  test('an unclosed quote is reported at its opening quote (PIPE1001)', () => {
    expect(problemsIn('syntax-unclosed-quote.contract.yaml', UNCLOSED_QUOTE)).toMatchInlineSnapshot(
      `"PIPE1001 syntax-unclosed-quote.contract.yaml:5:8 a double-quoted string is never closed (add the closing " at the end of the value)"`,
    );
  });

  test('a badly indented key is reported where YAML stumbles (PIPE1001)', () => {
    expect(problemsIn('syntax-bad-indent.contract.yaml', BAD_INDENT)).toMatchInlineSnapshot(
      `"PIPE1001 syntax-bad-indent.contract.yaml:7:11 nested mappings are not allowed in compact mappings (quote a value that contains ": ", e.g. description: "a: b", or fix the indentation)"`,
    );
  });

  test('a tab used as indentation is named as such (PIPE1001)', () => {
    expect(
      problemsIn('tabs.contract.yaml', 'apiVersion: pipectl/v1\nkind: Contract\ncolumns:\n\t- name: id\n'),
    ).toMatchInlineSnapshot(
      `"PIPE1001 tabs.contract.yaml:4:1 tabs are not allowed as indentation (indent with spaces: YAML does not allow tabs for indentation)"`,
    );
  });

  test('a key written twice in one mapping is a duplicate, named with its path (PIPE1008)', () => {
    expect(problems('duplicate-key.contract.yaml')).toMatchInlineSnapshot(
      `"PIPE1008 duplicate-key.contract.yaml:9:5 columns[0].type key "type" appears twice in columns[0] (keep one of the two keys)"`,
    );
  });

  test('a key written twice at the top level says so', () => {
    expect(
      problemsIn('twice.contract.yaml', 'kind: Contract\nname: a.b\nkind: Contract\n'),
    ).toMatchInlineSnapshot(
      `"PIPE1008 twice.contract.yaml:3:1 kind key "kind" appears twice at the top level (keep one of the two keys)"`,
    );
  });

  test('an alias to an anchor that does not exist is a syntax error, not a crash', () => {
    expect(
      problemsIn('pipectl.yaml', 'apiVersion: pipectl/v1\nkind: Project\nname: *nope\n'),
    ).toMatchInlineSnapshot(
      `"PIPE1001 pipectl.yaml:3:7 name the alias *nope refers to no anchor (mark the value to repeat with &nope before this alias, or write the value out)"`,
    );
  });

  test('thousands of blank lines before a stray scalar are read in one pass', () => {
    // A regular expression over the whole text once backtracked exponentially here.
    expect(parseDocument('x.contract.yaml', `${'\n'.repeat(5000)}x`).issues.map((i) => i.code)).toEqual([
      'PIPE1003',
    ]);
  });

  test('an alias bomb is refused instead of expanded', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'kind: Project',
    ].join('\n');
    expect(problemsIn('pipectl.yaml', bomb)).toMatchInlineSnapshot(
      `"PIPE1001 pipectl.yaml:1:1 the file expands too many YAML aliases (*name) (use YAML anchors (&name) and aliases (*name) sparingly, or write the values out)"`,
    );
  });
});

describe('fields the schema does not allow', () => {
  test('an unknown key suggests the key that was meant (PIPE1004)', () => {
    expect(problems('unknown-key.contract.yaml')).toMatchInlineSnapshot(
      `"PIPE1004 unknown-key.contract.yaml:9:5 columns[0].nulable unknown key "nulable" in columns[0] (did you mean "nullable"?)"`,
    );
  });

  test('the unknown-key issue carries the keys allowed there', () => {
    const [issue] = parseFixture('invalid/unknown-key.contract.yaml').issues;
    expect(issue).toEqual({
      code: 'PIPE1004',
      severity: 'error',
      file: 'unknown-key.contract.yaml',
      path: ['columns', 0, 'nulable'],
      span: { line: 9, col: 5, endLine: 9, endCol: 12, offset: expect.any(Number) },
      message: 'unknown key "nulable" in columns[0]',
      expected:
        'one of: name, type, description, nullable, primaryKey, unique, references, acceptedValues, pattern, min, max, minLength, maxLength, pii, default, renamedFrom, tags',
      hint: 'did you mean "nullable"?',
    });
  });

  test('a value of the wrong type names the type wanted and the value found (PIPE1005)', () => {
    expect(problems('wrong-type.contract.yaml')).toMatchInlineSnapshot(`
      "PIPE1005 wrong-type.contract.yaml:5:8 owner "owner" must be a string, found number 42 (put the value in quotes so YAML reads it as a string)
      PIPE1005 wrong-type.contract.yaml:6:7 tags "tags" must be a list, found the string "sales" (write a list, e.g. [sales])
      PIPE1005 wrong-type.contract.yaml:10:15 columns[0].nullable "nullable" must be a boolean, found the string "no" (write true or false, without quotes)
      PIPE1005 wrong-type.contract.yaml:13:10 columns[1].min "min" must be a number or a string, found boolean true (put the value in quotes so YAML reads it as a string)"
    `);
  });

  test('a missing required field is named, nested ones with their path (PIPE1006)', () => {
    expect(problems('missing-required.contract.yaml')).toMatchInlineSnapshot(`
      "PIPE1006 missing-required.contract.yaml:1:1 version missing required field "version" (add \`version:\`)
      PIPE1006 missing-required.contract.yaml:6:5 columns[0].type missing required field "type" in columns[0] (add \`type:\` in columns[0])
      PIPE1006 missing-required.contract.yaml:8:5 quality[0] missing required field "check" in quality[0] (add \`check:\` with one of: not_null, unique, accepted_values, range, pattern, missing_count, relationships, row_count, freshness, sql)"
    `);
  });

  test('a source without its `kind` discriminator lists the kinds there are (PIPE1006)', () => {
    expect(problems('missing-source-kind.pipeline.yaml')).toMatchInlineSnapshot(
      `"PIPE1006 missing-source-kind.pipeline.yaml:5:5 sources[0] missing required field "kind" in sources[0] (add \`kind:\` with one of: csv, parquet, json, postgres)"`,
    );
  });

  test('a value outside an enum suggests the closest allowed value (PIPE1007)', () => {
    expect(problems('invalid-enum.contract.yaml')).toMatchInlineSnapshot(`
      "PIPE1007 invalid-enum.contract.yaml:6:16 compatibility unknown compatibility "fowrard" (did you mean "forward"?)
      PIPE1007 invalid-enum.contract.yaml:10:10 columns[0].pii unknown pii "emial" in columns[0] (did you mean "email"?)
      PIPE1007 invalid-enum.contract.yaml:14:15 quality[0].severity unknown severity "warning" in quality[0] (did you mean "warn"?)"
    `);
  });

  test('an unknown quality check kind suggests the check that was meant (PIPE1007)', () => {
    expect(problems('unknown-check-kind.contract.yaml')).toMatchInlineSnapshot(
      `"PIPE1007 unknown-check-kind.contract.yaml:10:12 quality[0].check unknown check "not_nul" in quality[0] (did you mean "not_null"?)"`,
    );
  });

  test('an unknown source kind suggests the kind that was meant (PIPE1007)', () => {
    expect(problems('unknown-source-kind.pipeline.yaml')).toMatchInlineSnapshot(
      `"PIPE1007 unknown-source-kind.pipeline.yaml:6:11 sources[0].kind unknown kind "csvv" in sources[0] (did you mean "csv"?)"`,
    );
  });

  test.each([
    [
      'a missing apiVersion',
      'kind: Project\nname: shop\n',
      'PIPE1006 pipectl.yaml:1:1 apiVersion missing required field "apiVersion" (add `apiVersion:`)',
    ],
    [
      'another apiVersion',
      'apiVersion: pipectl/v2\nkind: Project\nname: shop\n',
      'PIPE1007 pipectl.yaml:1:13 apiVersion "apiVersion" must be "pipectl/v1", found the string "pipectl/v2" (did you mean "pipectl/v1"?)',
    ],
    [
      'an empty string where text is required',
      'apiVersion: pipectl/v1\nkind: Project\nname: ""\n',
      'PIPE1007 pipectl.yaml:3:7 name "name" must not be empty',
    ],
    [
      'a scalar where a mapping belongs',
      'apiVersion: pipectl/v1\nkind: Project\nname: shop\ntemporal: localhost:7233\n',
      'PIPE1005 pipectl.yaml:4:11 temporal "temporal" must be a mapping, found the string "localhost:7233"',
    ],
    [
      'an unknown key in a nested mapping',
      'apiVersion: pipectl/v1\nkind: Project\nname: shop\nwarehouse:\n  pth: w.duckdb\n',
      'PIPE1004 pipectl.yaml:5:3 warehouse.pth unknown key "pth" in warehouse (did you mean "path"?)',
    ],
  ])('%s is reported', (_, text, expected) => {
    expect(problemsIn('pipectl.yaml', text)).toBe(expected);
  });

  test.each([
    [
      'an empty column list',
      'columns: []',
      'PIPE1007 c.contract.yaml:6:10 columns "columns" is empty: a contract needs at least one column',
    ],
    [
      'a null column list',
      'columns:',
      'PIPE1005 c.contract.yaml:6:1 columns "columns" must be a list, found null',
    ],
    [
      'a column that is not a mapping',
      'columns:\n  - order_id',
      'PIPE1005 c.contract.yaml:7:5 columns[0] item 0 of columns must be a mapping, found the string "order_id"',
    ],
    [
      'a percentage written without its % sign',
      "columns:\n  - name: id\n    type: int\nquality:\n  - check: not_null\n    column: id\n    maxFailing: '5'",
      'PIPE1007 c.contract.yaml:12:17 quality[0].maxFailing invalid maxFailing "5" in quality[0]: a percentage such as "0.5%"',
    ],
    [
      'a negative row count',
      'columns:\n  - name: id\n    type: int\nquality:\n  - check: row_count\n    min: -1',
      'PIPE1007 c.contract.yaml:11:10 quality[0].min "min" must be at least 0, found -1',
    ],
    [
      'a discriminator that is not a string',
      'columns:\n  - name: id\n    type: int\nquality:\n  - check: 5',
      'PIPE1007 c.contract.yaml:10:12 quality[0].check unknown check number 5 in quality[0]',
    ],
    [
      'a quality check that is a scalar',
      'columns:\n  - name: id\n    type: int\nquality:\n  - not_null',
      'PIPE1005 c.contract.yaml:10:5 quality[0] item 0 of quality must be a mapping, found the string "not_null"',
    ],
  ])('%s is reported', (_, tail, expected) => {
    const head = 'apiVersion: pipectl/v1\nkind: Contract\nname: sales.orders\nversion: 1.0.0\nowner: me\n';
    expect(problemsIn('c.contract.yaml', `${head}${tail}\n`)).toBe(expected);
  });
});

describe('rules across a whole document', () => {
  test('a column declared twice is a duplicate name (PIPE1008)', () => {
    expect(problems('duplicate-column.contract.yaml')).toMatchInlineSnapshot(
      `"PIPE1008 duplicate-column.contract.yaml:11:11 columns[2].name column "order_id" is declared twice in contract "sales.orders" (rename or remove one of the two columns)"`,
    );
  });

  test('a source or step declared twice is a duplicate name (PIPE1008)', () => {
    expect(problems('duplicate-names.pipeline.yaml')).toMatchInlineSnapshot(`
      "PIPE1008 duplicate-names.pipeline.yaml:9:11 sources[1].name source "orders" is declared twice in pipeline "orders_daily" (rename or remove one of the two sources)
      PIPE1008 duplicate-names.pipeline.yaml:17:11 steps[1].name step "orders" is declared twice in pipeline "orders_daily" (rename or remove one of the two steps)"
    `);
  });

  test('a quality check name used three times is reported at each later use (PIPE1008)', () => {
    const checks = ['  - check: row_count', '    name: enough', '    min: 1'].join('\n');
    const text = `apiVersion: pipectl/v1\nkind: Contract\nname: a.b\nversion: 1.0.0\nowner: me\ncolumns:\n  - name: id\n    type: int\nquality:\n${checks}\n${checks}\n${checks}\n`;
    expect(problemsIn('c.contract.yaml', text)).toMatchInlineSnapshot(`
      "PIPE1008 c.contract.yaml:14:11 quality[1].name quality check "enough" is declared twice in contract "a.b" (give each check its own name)
      PIPE1008 c.contract.yaml:17:11 quality[2].name quality check "enough" is declared twice in contract "a.b" (give each check its own name)"
    `);
  });

  test('an invalid column type is located inside the type string and suggests a type (PIPE1009)', () => {
    expect(problems('invalid-column-types.contract.yaml')).toMatchInlineSnapshot(`
      "PIPE1009 invalid-column-types.contract.yaml:8:11 columns[0].type column "order_id" has an invalid type "bignt": unknown type "bignt" (did you mean "bigint"?)
      PIPE1009 invalid-column-types.contract.yaml:10:22 columns[1].type column "amount" has an invalid type "decimal(12,": expected a decimal scale, found the end of the type (write decimal(precision,scale) with precision 1..38 and scale at most the precision, e.g. decimal(12,2))
      PIPE1009 invalid-column-types.contract.yaml:12:19 columns[2].type column "total" has an invalid type "decimal(40,2)": decimal precision 40 is outside 1..38 (write decimal(precision,scale) with precision 1..38 and scale at most the precision, e.g. decimal(12,2))
      PIPE1009 invalid-column-types.contract.yaml:14:36 columns[3].type column "lines" has an invalid type "struct(sku varchar, qty integr)[]": unknown type "integr" (did you mean "integer"?)"
    `);
  });

  test('a primary key that says nullable: true conflicts (PIPE1010)', () => {
    expect(problems('primary-key-nullable.contract.yaml')).toMatchInlineSnapshot(
      `"PIPE1010 primary-key-nullable.contract.yaml:10:15 columns[0].nullable column "order_id" is a primary key but says nullable: true (primary key columns are never null: remove \`nullable: true\`)"`,
    );
  });

  test('sql with sqlFile, neither of them, and table with query conflict (PIPE1010)', () => {
    expect(problems('conflicting-fields.pipeline.yaml')).toMatchInlineSnapshot(`
      "PIPE1010 conflicting-fields.pipeline.yaml:10:12 sources[0].query postgres source "customers" has both "table" and "query" (keep one of them: "table" reads a whole table, "query" reads the rows a SELECT returns)
      PIPE1010 conflicting-fields.pipeline.yaml:11:5 sources[1] postgres source "refunds" needs "table" or "query" (add \`table:\` with the table to read, or \`query:\` with a SELECT)
      PIPE1010 conflicting-fields.pipeline.yaml:19:14 steps[0].sqlFile step "orders" has both "sql" and "sqlFile" (keep one of them: "sql" holds the SELECT inline, "sqlFile" names a .sql file)
      PIPE1010 conflicting-fields.pipeline.yaml:20:5 steps[1] step "summary" has neither "sql" nor "sqlFile" (add \`sql:\` with a SELECT, or \`sqlFile:\` with the path of a .sql file)"
    `);
  });

  test('a unique check with both column and columns conflicts (PIPE1010)', () => {
    const text =
      'apiVersion: pipectl/v1\nkind: Contract\nname: a.b\nversion: 1.0.0\nowner: me\ncolumns:\n  - name: id\n    type: int\nquality:\n  - check: unique\n    column: id\n    columns: [id]\n';
    expect(problemsIn('c.contract.yaml', text)).toMatchInlineSnapshot(
      `"PIPE1010 c.contract.yaml:10:5 quality[0] a unique check has both "column" and "columns" (use "column" for one column, "columns" for a combination that is unique together)"`,
    );
  });

  test('a quality check or freshness naming a column the contract lacks (PIPE1011)', () => {
    expect(problems('unknown-quality-column.contract.yaml')).toMatchInlineSnapshot(`
      "PIPE1011 unknown-quality-column.contract.yaml:15:13 quality[0].column unknown column "amout" in contract "sales.orders" (did you mean "amount"?)
      PIPE1011 unknown-quality-column.contract.yaml:17:25 quality[1].columns[1] unknown column "ordred_at" in contract "sales.orders" (did you mean "ordered_at"?)
      PIPE1011 unknown-quality-column.contract.yaml:19:11 freshness.column unknown column "updated_at" in contract "sales.orders" (name a column declared under \`columns\`)"
    `);
  });

  test('a pattern that is not a regular expression is an invalid value (PIPE1007)', () => {
    const text =
      "apiVersion: pipectl/v1\nkind: Contract\nname: a.b\nversion: 1.0.0\nowner: me\ncolumns:\n  - name: code\n    type: varchar\n    pattern: '[A-Z'\n";
    expect(problemsIn('c.contract.yaml', text)).toMatchInlineSnapshot(
      `"PIPE1007 c.contract.yaml:9:14 columns[0].pattern the regular expression "[A-Z" does not compile: Invalid regular expression: /[A-Z/: Unterminated character class"`,
    );
  });
});

describe('files that are not one pipectl document', () => {
  test('two documents in one file (PIPE1012)', () => {
    expect(problems('multiple-documents.contract.yaml')).toMatchInlineSnapshot(
      `"PIPE1012 multiple-documents.contract.yaml:9:1 the file holds 2 YAML documents; pipectl reads one document per file (move each document after a \`---\` into its own file)"`,
    );
  });

  test('a lone `---` before or after the document is fine', () => {
    const text = '---\napiVersion: pipectl/v1\nkind: Project\nname: shop\n---\n';
    expect(parseDocument('pipectl.yaml', text).issues).toEqual([]);
  });

  test('an empty file (PIPE1002)', () => {
    expect(problems('empty.contract.yaml')).toMatchInlineSnapshot(
      `"PIPE1002 empty.contract.yaml:1:1 the file is empty (start with \`apiVersion: pipectl/v1\` and \`kind: Contract\` (or Pipeline, Project))"`,
    );
  });

  test('a file with only comments (PIPE1002)', () => {
    expect(problems('comments-only.contract.yaml')).toMatchInlineSnapshot(
      `"PIPE1002 comments-only.contract.yaml:1:1 the file has no YAML content, only comments (start with \`apiVersion: pipectl/v1\` and \`kind: Contract\` (or Pipeline, Project))"`,
    );
  });

  test.each([['---\n'], ['   \n\n'], ['# a\r\n# b\r\n']])('%j is an empty file too (PIPE1002)', (text) => {
    expect(parseDocument('x.contract.yaml', text).issues.map((issue) => issue.code)).toEqual(['PIPE1002']);
  });

  test('a list at the top level (PIPE1003)', () => {
    expect(problems('top-level-list.contract.yaml')).toMatchInlineSnapshot(
      `"PIPE1003 top-level-list.contract.yaml:1:1 expected a mapping with apiVersion and kind, found a list (a pipectl document is a mapping: start with \`apiVersion: pipectl/v1\` and \`kind: Contract\`)"`,
    );
  });

  test('a scalar at the top level (PIPE1003)', () => {
    expect(problems('top-level-scalar.contract.yaml')).toMatchInlineSnapshot(
      `"PIPE1003 top-level-scalar.contract.yaml:1:1 expected a mapping with apiVersion and kind, found the string "sales.orders" (a pipectl document is a mapping: start with \`apiVersion: pipectl/v1\` and \`kind: Contract\`)"`,
    );
  });

  test('a mapping without kind (PIPE1003)', () => {
    expect(problems('no-kind.contract.yaml')).toMatchInlineSnapshot(
      `"PIPE1003 no-kind.contract.yaml:1:1 kind this is not a pipectl document: it has no \`kind\` (add \`apiVersion: pipectl/v1\` and \`kind: Contract\` (or Pipeline, Project))"`,
    );
  });

  test('an unknown kind suggests the kind that was meant (PIPE1003)', () => {
    expect(problems('unknown-kind.contract.yaml')).toMatchInlineSnapshot(
      `"PIPE1003 unknown-kind.contract.yaml:2:7 kind unknown kind "Contarct": not a Contract, Pipeline or Project (did you mean "Contract"?)"`,
    );
  });

  test('a contract in a .pipeline.yaml file loads, with a warning (PIPE1014)', () => {
    const result = parseFixture('invalid/contract-in-pipeline-file.pipeline.yaml');
    expect(result.document?.kind).toBe('Contract');
    expect(renderIssues(result.issues)).toMatchInlineSnapshot(
      `"PIPE1014 warning contract-in-pipeline-file.pipeline.yaml:2:7 kind a Contract in a file named "contract-in-pipeline-file.pipeline.yaml" (rename the file to end in .contract.yaml)"`,
    );
  });

  test('a contract in a file of another name is not warned about', () => {
    const text =
      parseFixture('invalid/contract-in-pipeline-file.pipeline.yaml').document?.sourceMap.text ?? '';
    expect(parseDocument('contracts/orders.yaml', text).issues).toEqual([]);
    expect(parseDocument('contracts/orders.contract.yml', text).issues).toEqual([]);
  });
});

describe('several problems at once', () => {
  test('every problem in a file is reported by one call, in file order', () => {
    expect(problems('many-problems.contract.yaml')).toMatchInlineSnapshot(`
      "PIPE1006 many-problems.contract.yaml:1:1 columns missing required field "columns" (add \`columns:\`)
      PIPE1007 many-problems.contract.yaml:3:7 name invalid name "Sales.Orders": a dataset name is "schema.table" in lowercase snake_case, e.g. "sales.orders" (did you mean "sales.orders"?)
      PIPE1007 many-problems.contract.yaml:4:10 version invalid version "1.0": a version is semver "MAJOR.MINOR.PATCH", e.g. "1.4.0"
      PIPE1004 many-problems.contract.yaml:6:1 colums unknown key "colums" (did you mean "columns"?)
      PIPE1007 many-problems.contract.yaml:7:16 compatibility unknown compatibility "ful" (did you mean "full"?)
      PIPE1007 many-problems.contract.yaml:12:14 quality[0].samples "samples" must be at most 100, found 500"
    `);
  });

  test('every issue has a stable code, a message and a place', () => {
    const { issues } = parseFixture('invalid/many-problems.contract.yaml');
    expect(issues.length).toBeGreaterThanOrEqual(5);
    for (const issue of issues) {
      expect(issue.code).toMatch(/^PIPE1\d{3}$/);
      expect(issue.file).toBe('many-problems.contract.yaml');
      expect(issue.span?.line).toBeGreaterThanOrEqual(1);
      expect(issue.message).not.toBe('');
    }
  });
});
