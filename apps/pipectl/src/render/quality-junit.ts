// Check results as JUnit XML, for CI systems that show test reports: one testsuite per dataset, one
// testcase per check. A blocking failure is a <failure>, a check that could not run an <error>
// (a warning when its severity is warn), a skipped check <skipped/>; warnings pass with their
// finding in <system-out>. No timings, so the same results give the same document.
import type { CheckResult } from '@pipectl/engine';
import { escapeXml } from './compat-junit.js';

/** What a testcase needs of a check. */
export type JunitCheck = Pick<
  CheckResult,
  'id' | 'blocking' | 'rule' | 'expected' | 'observed' | 'samples' | 'message' | 'severity'
> & { readonly status: CheckResult['status']; readonly kind: string; readonly hint?: string };

export interface JunitSuite {
  /** The dataset: the suite's name and every testcase's classname. */
  readonly name: string;
  readonly properties?: Readonly<Record<string, string>>;
  readonly checks: readonly JunitCheck[];
}

function attributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`)
    .join('');
}

function details(check: JunitCheck): string {
  return [
    `${check.observed}; expected ${check.expected} (${check.rule})`,
    ...(check.message ? [check.message] : []),
    ...(check.hint ? [`help: ${check.hint}`] : []),
    ...check.samples.slice(0, 5).map((sample) => JSON.stringify(sample)),
  ].join('\n');
}

function testcase(suite: string, check: JunitCheck): string {
  const open = `    <testcase${attributes({ name: check.id, classname: suite })}`;
  const problem = check.blocking ? (check.status === 'error' ? 'error' : 'failure') : undefined;
  if (problem) {
    const message = check.message ?? `${check.observed}; expected ${check.expected}`;
    return [
      `${open}>`,
      `      <${problem}${attributes({ message, type: check.kind })}>${escapeXml(details(check))}</${problem}>`,
      '    </testcase>',
    ].join('\n');
  }
  if (check.status === 'skipped')
    return `${open}>\n      <skipped${attributes({ message: check.message ?? 'skipped' })}/>\n    </testcase>`;
  if (check.status !== 'pass')
    return `${open}>\n      <system-out>${escapeXml(`${check.status === 'fail' ? check.severity : check.status}: ${details(check)}`)}</system-out>\n    </testcase>`;
  return `${open}/>`;
}

/** Suites of check results as one JUnit XML document named `name`. */
export function renderQualityJunit(name: string, suites: readonly JunitSuite[]): string {
  const count = (checks: readonly JunitCheck[]) => ({
    tests: checks.length,
    failures: checks.filter((c) => c.blocking && c.status !== 'error').length,
    errors: checks.filter((c) => c.blocking && c.status === 'error').length,
    skipped: checks.filter((c) => c.status === 'skipped').length,
  });
  const all = count(suites.flatMap((s) => s.checks));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name, tests: all.tests, failures: all.failures, errors: all.errors })}>`,
  ];
  for (const suite of suites) {
    lines.push(`  <testsuite${attributes({ name: suite.name, ...count(suite.checks) })}>`);
    const properties = Object.entries(suite.properties ?? {});
    if (properties.length > 0) {
      lines.push('    <properties>');
      for (const [key, value] of properties)
        lines.push(`      <property${attributes({ name: key, value })}/>`);
      lines.push('    </properties>');
    }
    for (const check of suite.checks) lines.push(testcase(suite.name, check));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
