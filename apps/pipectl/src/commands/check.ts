// `pipectl check --base <ref>`: the CI entry. Every contract of the project against the same
// contract at the git base, with rule ids, verdicts, consumers and version bumps; as text, JSON,
// GitHub annotations or JUnit XML.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RepositoryCheckReport } from '@pipectl/check';
import type { Command } from 'commander';
import { type CliContext, displayPath, resolveProjectDir, sourceReader } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { painter } from '../io/terminal.js';
import { renderGithub } from '../render/compat-github.js';
import { renderReportText } from '../render/compat-text.js';
import { renderIssues } from '../render/issues.js';
import { UsageError } from '../usage-error.js';
import { NO_CACHE_HELP, parseFormat, usesCache } from './options.js';
import { SELECTOR_HELP, type SelectionOptions, selectedDatasets, withSelectOptions } from './selection.js';

const CHECK_FORMATS = ['text', 'json', 'github', 'junit'] as const;

interface CheckOptions extends SelectionOptions {
  base?: string;
  head?: string;
  project?: string;
  changedOnly?: boolean;
  format: string;
  output?: string;
  cache?: boolean;
}

export function registerCheck(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const command = program
    .command('check')
    .summary('check every contract against a git base: breaking changes, consumers, version bumps')
    .description(
      "Compare every contract of the project with the same contract at a git revision (read from git, nothing is checked out). Each change is named by its rule id and judged under the contract's compatibility mode; breaking and review changes list the downstream datasets, pipelines and owners they reach (from the lineage graph), and each version bump is checked. A change waived with `except` in the contract (with a reason) is approved: shown, never failing. Review changes follow the project's review policy (`compatibility.review` in pipectl.yaml: fail, approve or allow; see docs/compatibility.md).",
    )
    .requiredOption('--base <ref>', 'git revision to compare with, e.g. origin/main or HEAD~1')
    .option('--head <ref>', 'compare this revision instead of the working tree')
    .option(
      '-p, --project <dir>',
      'project directory (default: the nearest directory with pipectl.yaml, else .)',
    )
    .option(
      '--changed-only',
      'compare only contracts whose files git reports as changed; nothing is loaded when none did',
    )
    .option('--format <format>', `output format: ${CHECK_FORMATS.join(', ')}`, 'text')
    .option('--output <file>', 'write the formatted output to a file (and the text report to stdout)')
    .option('--no-cache', NO_CACHE_HELP);
  withSelectOptions(
    command,
    "chosen on the head's lineage; a contract is reported when it is selected or one of its breaking or review changes reaches a selected dataset",
  )
    .addHelpText(
      'after',
      `
Exit codes:
  0  no unapproved breaking change, no review change the review policy fails,
     every version bump is right
  1  an unapproved breaking change (a removed contract something still reads
     included), a review change under review policy \`fail\`, or a missing or
     wrong version bump
  2  bad input: no such base revision, not a git repository, or the project is
     invalid at the head (an unknown rule in the review policy included)

Examples:
  $ pipectl check --base origin/main
  $ pipectl check --base HEAD~1 -p examples/task-analytics
  $ pipectl check --base origin/main --format github          # annotations in a pull request
  $ pipectl check --base origin/main --format junit --output contracts.xml
  $ pipectl check --base origin/main --select mart.daily_revenue   # its changes, and breaking ones reaching it
${SELECTOR_HELP}

Docs: docs/ci.md, docs/compatibility.md`,
    )
    .action(async (options: CheckOptions) => {
      const format = parseFormat(options.format, CHECK_FORMATS);
      const root = resolveProjectDir(options.project, ctx.cwd);
      const { checkProject } = await import('@pipectl/project');
      const report: RepositoryCheckReport = await checkProject(root, {
        base: options.base as string,
        head: options.head,
        changedOnly: options.changedOnly === true,
        cache: usesCache(options),
        selectDatasets: (plan) => selectedDatasets(plan, options),
      });
      // A file gets no colour, whatever the terminal is.
      const paint = options.output === undefined ? ctx.paint : painter(false);
      const rendered =
        format === 'json'
          ? `${JSON.stringify(report, null, 2)}\n`
          : format === 'github'
            ? renderGithub(report)
            : format === 'junit'
              ? (await import('../render/compat-junit.js')).renderJunit(report)
              : renderReportText(report, paint);
      const showIssues = () => {
        if (report.issues.length > 0)
          ctx.term.err(`${renderIssues(report.issues, ctx.paint, sourceReader(root))}\n\n`);
      };
      if (options.output !== undefined) {
        const target = resolve(ctx.cwd, options.output);
        await writeFile(target, rendered).catch((error: NodeJS.ErrnoException) => {
          throw new UsageError(
            `cannot write "${options.output}" (${error.code ?? error.message})`,
            'pass a file in an existing, writable directory',
          );
        });
        showIssues();
        ctx.term.out(
          format === 'text' ? `wrote ${displayPath(target, ctx.cwd)}\n` : renderReportText(report, ctx.paint),
        );
      } else {
        if (format === 'text') showIssues();
        ctx.term.out(rendered);
      }
      const { summary } = report;
      setExit(summary.headErrors > 0 ? EXIT.usage : summary.failed ? EXIT.checkFailed : EXIT.ok);
    });
}
