// Issues as data: paths rendered for people, stable ordering.
import { expect, test } from 'vitest';
import { formatIssuePath, hasErrors, type Issue, sortIssues } from '../src/index.js';

test.each([
  [[], ''],
  [['name'], 'name'],
  [['columns', 2, 'type'], 'columns[2].type'],
  [['steps', 0, 'gates', 1, 'column'], 'steps[0].gates[1].column'],
  [[0], '[0]'],
  [[0, 1], '[0][1]'],
  [['retry', 'maximumAttempts'], 'retry.maximumAttempts'],
])('%j reads as %j', (path, expected) => {
  expect(formatIssuePath(path)).toBe(expected);
});

function issue(
  code: string,
  file: string,
  offset: number | undefined,
  severity: Issue['severity'] = 'error',
): Issue {
  const span =
    offset === undefined ? undefined : { line: 1, col: offset + 1, endLine: 1, endCol: offset + 2, offset };
  return { code, severity, message: code, file, path: [], span };
}

test('sortIssues orders by file, then position, then code, without changing its input', () => {
  const input = [
    issue('PIPE1004', 'b.yaml', 3),
    issue('PIPE1007', 'a.yaml', 9),
    issue('PIPE1005', 'a.yaml', 9),
    issue('PIPE1002', 'a.yaml', undefined),
  ];
  const sorted = sortIssues(input);
  expect(sorted.map((i) => `${i.file}:${i.span?.offset ?? '-'}:${i.code}`)).toEqual([
    'a.yaml:-:PIPE1002',
    'a.yaml:9:PIPE1005',
    'a.yaml:9:PIPE1007',
    'b.yaml:3:PIPE1004',
  ]);
  expect(input[0]?.code).toBe('PIPE1004');
});

test('hasErrors ignores warnings', () => {
  expect(hasErrors([issue('PIPE1014', 'a.yaml', 0, 'warning')])).toBe(false);
  expect(hasErrors([issue('PIPE1014', 'a.yaml', 0, 'warning'), issue('PIPE1004', 'a.yaml', 1)])).toBe(true);
  expect(hasErrors([])).toBe(false);
});
