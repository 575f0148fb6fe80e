// Check results as JUnit XML, for CI systems that show test reports: one testsuite per dataset, one
// testcase per check. A blocking failure is a <failure>, a check that could not run an <error>
// (a warning when its severity is warn), a skipped check <skipped/>; warnings pass with their
// finding in <system-out>. No timings, so the same results give the same document.
import type { CheckResult } from '@pipectl/engine';
import { type JunitTestCase, renderJunitXml } from './junit-xml.js';

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

function details(check: JunitCheck): string {
  return [
    `${check.observed}; expected ${check.expected} (${check.rule})`,
    ...(check.message ? [check.message] : []),
    ...(check.hint ? [`help: ${check.hint}`] : []),
    ...check.samples.slice(0, 5).map((sample) => JSON.stringify(sample)),
  ].join('\n');
}

function testcase(suite: string, check: JunitCheck): JunitTestCase {
  const attributes = { name: check.id, classname: suite };
  const problem = check.blocking ? (check.status === 'error' ? 'error' : 'failure') : undefined;
  if (problem) {
    const message = check.message ?? `${check.observed}; expected ${check.expected}`;
    return {
      attributes,
      child: { tag: problem, attributes: { message, type: check.kind }, text: details(check) },
    };
  }
  if (check.status === 'skipped')
    return { attributes, child: { tag: 'skipped', attributes: { message: check.message ?? 'skipped' } } };
  if (check.status !== 'pass') {
    const text = `${check.status === 'fail' ? check.severity : check.status}: ${details(check)}`;
    return { attributes, child: { tag: 'system-out', text } };
  }
  return { attributes };
}

/** Suites of check results as one JUnit XML document named `name`. */
export function renderQualityJunit(name: string, suites: readonly JunitSuite[]): string {
  const count = (checks: readonly JunitCheck[]) => ({
    tests: checks.length,
    failures: checks.filter((c) => c.blocking && c.status !== 'error').length,
    errors: checks.filter((c) => c.blocking && c.status === 'error').length,
    skipped: checks.filter((c) => c.status === 'skipped').length,
  });
  const { skipped: _, ...all } = count(suites.flatMap((s) => s.checks));
  return renderJunitXml(
    { name, ...all },
    suites.map((suite) => ({
      attributes: { name: suite.name, ...count(suite.checks) },
      properties: suite.properties ?? {},
      cases: suite.checks.map((check) => testcase(suite.name, check)),
    })),
  );
}
