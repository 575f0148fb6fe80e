// Compatibility results as JUnit XML, for CI systems that show test reports: one testsuite per
// contract, one testcase per change (a failure when it is breaking and not waived) and one for
// its version bump; problems at the head are errors in a suite of their own. No timings, so the
// output is the same for the same report.
import type { CheckedChange, ContractCheck, RepositoryCheckReport } from '@pipectl/check';
import type { Issue } from '@pipectl/spec';
import { beforeAfter, consumersSentence, isUnapprovedBreaking, pathOf, repoFile } from './compat-values.js';

/** Text safe inside XML: the five entities, and no characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing the control characters XML forbids is the point.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;')
      .replaceAll("'", '&apos;')
  );
}

function attributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`)
    .join('');
}

interface TestCase {
  readonly name: string;
  readonly file?: string;
  readonly line?: number;
  readonly failure?: { readonly type: string; readonly message: string; readonly body: string };
  readonly error?: { readonly type: string; readonly message: string; readonly body: string };
  readonly out?: string;
}

function changeCase(report: RepositoryCheckReport, check: ContractCheck, change: CheckedChange): TestCase {
  const details = [`${change.verdict} under ${check.mode}: ${pathOf(change)} ${beforeAfter(change)}`];
  if (change.waived) details.push(`waived: ${change.waived.reason}`);
  if (change.note) details.push(`note: ${change.note}`);
  const consumers = consumersSentence(change.impact);
  if (consumers) details.push(`${isUnapprovedBreaking(change) ? 'breaks' : 'reaches'} ${consumers}`);
  const place = change.location ?? { file: check.file, line: undefined };
  const base = {
    name: `${change.rule} ${pathOf(change)}`,
    file: repoFile(report, place.file),
    ...(place.line !== undefined ? { line: place.line } : {}),
  };
  if (change.gate === 'fail' && !change.waived)
    return { ...base, failure: { type: change.rule, message: change.message, body: details.join('\n') } };
  return { ...base, out: [change.message, ...details].join('\n') };
}

function versionCase(report: RepositoryCheckReport, check: ContractCheck): TestCase {
  const version = check.versionCheck;
  const base = {
    name: `version ${check.fromVersion ?? '(new)'} -> ${check.toVersion ?? '(removed)'}`,
    file: repoFile(report, check.versionLocation?.file ?? check.file),
    ...(check.versionLocation ? { line: check.versionLocation.line } : {}),
  };
  if (!version.ok)
    return {
      ...base,
      failure: {
        type: version.finding?.code ?? 'VERSION',
        message: version.message,
        body: `required: ${version.required} bump; suggested: ${version.suggested}`,
      },
    };
  return { ...base, out: version.message };
}

function issueCase(report: RepositoryCheckReport, issue: Issue): TestCase {
  const where = issue.span ? `:${issue.span.line}:${issue.span.col}` : '';
  const base = {
    name: `${issue.code} ${issue.file ?? ''}${where}`.trim(),
    ...(issue.file ? { file: repoFile(report, issue.file) } : {}),
    ...(issue.span ? { line: issue.span.line } : {}),
  };
  if (issue.severity === 'error')
    return { ...base, error: { type: issue.code, message: issue.message, body: issue.hint ?? '' } };
  return { ...base, out: issue.hint ? `${issue.message}\nhelp: ${issue.hint}` : issue.message };
}

function suite(
  name: string,
  className: string,
  cases: readonly TestCase[],
  properties: Record<string, string>,
): string {
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => c.error).length;
  const lines = [`  <testsuite${attributes({ name, tests: cases.length, failures, errors, skipped: 0 })}>`];
  const props = Object.entries(properties);
  if (props.length > 0) {
    lines.push('    <properties>');
    for (const [key, value] of props) lines.push(`      <property${attributes({ name: key, value })}/>`);
    lines.push('    </properties>');
  }
  for (const testCase of cases) {
    const open = `    <testcase${attributes({ name: testCase.name, classname: className, file: testCase.file, line: testCase.line })}`;
    const problem = testCase.failure
      ? ['failure', testCase.failure]
      : testCase.error
        ? ['error', testCase.error]
        : undefined;
    if (problem) {
      const [tag, detail] = problem as ['failure' | 'error', NonNullable<TestCase['failure']>];
      lines.push(`${open}>`);
      lines.push(
        `      <${tag}${attributes({ message: detail.message, type: detail.type })}>${escapeXml(detail.body)}</${tag}>`,
      );
      lines.push('    </testcase>');
    } else if (testCase.out) {
      lines.push(`${open}>`, `      <system-out>${escapeXml(testCase.out)}</system-out>`, '    </testcase>');
    } else {
      lines.push(`${open}/>`);
    }
  }
  lines.push('  </testsuite>');
  return lines.join('\n');
}

/** The report as a JUnit XML document. */
export function renderJunit(report: RepositoryCheckReport): string {
  const suites: { xml: string; tests: number; failures: number; errors: number }[] = [];
  const add = (
    name: string,
    className: string,
    cases: TestCase[],
    properties: Record<string, string> = {},
  ) => {
    suites.push({
      xml: suite(name, className, cases, properties),
      tests: cases.length,
      failures: cases.filter((c) => c.failure).length,
      errors: cases.filter((c) => c.error).length,
    });
  };
  if (report.issues.length > 0)
    add(
      `project ${report.project}`,
      'pipectl.project',
      report.issues.map((issue) => issueCase(report, issue)),
    );
  for (const check of report.contracts) {
    const cases = check.changes.map((change) => changeCase(report, check, change));
    if (check.status !== 'removed') cases.push(versionCase(report, check));
    add(check.dataset, check.dataset, cases, {
      file: repoFile(report, check.file),
      mode: check.mode,
      status: check.status,
    });
  }
  const total = (key: 'tests' | 'failures' | 'errors') => suites.reduce((sum, s) => sum + s[key], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'pipectl check', tests: total('tests'), failures: total('failures'), errors: total('errors') })}>`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}
