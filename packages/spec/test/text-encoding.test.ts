// Files that are not UTF-8 text are refused at the first bad character, with its place and a fix.
import { describe, expect, test } from 'vitest';
import { parseDocument } from '../src/index.js';
import { renderIssues } from './support.js';

const HEAD = 'apiVersion: pipectl/v1\nkind: Contract\nname: sales.orders\n';

/** The text a UTF-8 reader (readFile(path, 'utf8')) makes of these bytes. */
const asRead = (bytes: number[]): string => Buffer.from(bytes).toString('utf8');

describe('text encoding', () => {
  test('invalid UTF-8 (a Latin-1 é) is located at the bad byte (PIPE1015)', () => {
    const text = `${HEAD}owner: caf${asRead([0xe9])}@example.com\n`;
    expect(renderIssues(parseDocument('orders.contract.yaml', text).issues)).toMatchInlineSnapshot(
      `"PIPE1015 orders.contract.yaml:4:11 the file holds bytes that are not valid UTF-8: pipectl reads contracts and pipelines as UTF-8 text (re-save the file as UTF-8 (e.g. \`iconv -f latin1 -t utf-8\`), or retype the character at this place)"`,
    );
  });

  test('a NUL byte is located and explained (PIPE1015)', () => {
    const issues = parseDocument('orders.contract.yaml', `${HEAD}owner: x\u0000y\n`).issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      code: 'PIPE1015',
      message: expect.stringContaining('a NUL byte'),
      span: { line: 4, col: 9 },
      hint: expect.stringContaining('delete the character'),
    });
  });

  test('the first problem in the file wins, whichever kind it is', () => {
    const text = `${HEAD}\u0001owner: caf${asRead([0xff])}\n`;
    expect(parseDocument('o.contract.yaml', text).issues[0]?.message).toContain('U+0001');
  });

  test('tabs, line breaks, CRLF and real non-ASCII text are fine', () => {
    const text = `${HEAD}version: 1.0.0\r\nowner: café@example.com # ümlaut\t\ncolumns:\n  - name: id\n    type: bigint\n`;
    expect(parseDocument('o.contract.yaml', text).issues).toEqual([]);
  });
});
