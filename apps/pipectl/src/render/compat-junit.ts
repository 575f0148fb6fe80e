// Compatibility results as JUnit XML, for CI systems that show test reports: one testsuite per
// contract, one testcase per change (a failure when it is breaking and not waived) and one for
// its version bump; problems at the head are errors in a suite of their own. No timings, so the
// output is the same for the same report.
import type { CheckedChange, ContractCheck, RepositoryCheckReport } from '@pipectl/check';
import type { Issue } from '@pipectl/spec';
import { beforeAfter, consumersSentence, isUnapprovedBreaking, pathOf, repoFile } from './compat-values.js';
import { type JunitTestCase, type JunitTestSuite, renderJunitXml } from './junit-xml.js';

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
): JunitTestSuite {
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => c.error).length;
  return {
    attributes: { name, tests: cases.length, failures, errors, skipped: 0 },
    properties,
    cases: cases.map((testCase): JunitTestCase => {
      const attributes = {
        name: testCase.name,
        classname: className,
        file: testCase.file,
        line: testCase.line,
      };
      const problem = testCase.failure
        ? ({ tag: 'failure', detail: testCase.failure } as const)
        : testCase.error
          ? ({ tag: 'error', detail: testCase.error } as const)
          : undefined;
      if (problem) {
        const { message, type, body } = problem.detail;
        return { attributes, child: { tag: problem.tag, attributes: { message, type }, text: body } };
      }
      if (testCase.out) return { attributes, child: { tag: 'system-out', text: testCase.out } };
      return { attributes };
    }),
  };
}

/** The report as a JUnit XML document. */
export function renderJunit(report: RepositoryCheckReport): string {
  const suites: JunitTestSuite[] = [];
  const totals = { tests: 0, failures: 0, errors: 0 };
  const add = (
    name: string,
    className: string,
    cases: TestCase[],
    properties: Record<string, string> = {},
  ) => {
    suites.push(suite(name, className, cases, properties));
    totals.tests += cases.length;
    totals.failures += cases.filter((c) => c.failure).length;
    totals.errors += cases.filter((c) => c.error).length;
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
  return renderJunitXml({ name: 'pipectl check', ...totals }, suites);
}
