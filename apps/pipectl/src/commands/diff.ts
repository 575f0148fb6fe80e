// `pipectl diff <old> <new>`: two versions of one contract, compared without git: every change
// with its rule id and verdict under the old version's mode (or --mode), and the version bump.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ContractDocument } from '@pipectl/spec';
import { COMPATIBILITY_MODES, type CompatibilityMode, type Issue } from '@pipectl/spec/lite';
import type { Command } from 'commander';
import { type CliContext, displayPath } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { renderContractText } from '../render/compat-text.js';
import { plural, renderIssues } from '../render/issues.js';
import { UsageError } from '../usage-error.js';
import { parseFormat } from './options.js';

interface DiffOptions {
  mode?: string;
  format: string;
}

export function registerDiff(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command('diff')
    .summary('compare two versions of a contract: rule ids, verdicts, version bump')
    .description(
      "Compare two contract files, the old version first. Each change is named by its rule id and judged under the old version's compatibility mode (or --mode); the version bump is checked against the changes. For contracts in git, `pipectl check --base <ref>` compares every one.",
    )
    .argument('<old>', 'the previous version of the contract (a *.contract.yaml file)')
    .argument('<new>', 'the next version')
    .option('--mode <mode>', `judge under this mode: ${COMPATIBILITY_MODES.join(', ')}`)
    .option('--format <format>', 'output format: text or json', 'text')
    .addHelpText(
      'after',
      `
Exit codes:
  0  no unapproved breaking or review change, and the version bump is right
  1  a breaking or review change that is not waived (review follows the default
     review policy, fail), or a missing or wrong version bump
  2  bad input: a file that cannot be read, is invalid, or is not a contract

Examples:
  $ pipectl diff orders.v1.contract.yaml contracts/orders.contract.yaml
  $ git show main:contracts/orders.contract.yaml > /tmp/old.yaml && pipectl diff /tmp/old.yaml contracts/orders.contract.yaml
  $ pipectl diff old.yaml new.yaml --mode full --format json`,
    )
    .action(async (oldPath: string, newPath: string, options: DiffOptions) => {
      const { parseDocument } = await import('@pipectl/spec');
      const format = parseFormat(options.format, ['text', 'json']);
      const mode = options.mode === undefined ? undefined : parseMode(options.mode);
      const texts = new Map<string, string>();
      const issues: Issue[] = [];
      const load = async (path: string): Promise<ContractDocument | undefined> => {
        const file = displayPath(resolve(ctx.cwd, path), ctx.cwd);
        let text: string;
        try {
          text = await readFile(resolve(ctx.cwd, path), 'utf8');
        } catch (error) {
          const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
          issues.push({
            code: 'PIPE1013',
            severity: 'error',
            message: `cannot read "${file}" (${reason})`,
            file,
            path: [],
          });
          return undefined;
        }
        texts.set(file, text);
        const parsed = parseDocument(file, text);
        issues.push(...parsed.issues);
        if (parsed.document && parsed.document.kind !== 'Contract') {
          issues.push({
            code: 'PIPE4007',
            severity: 'error',
            message: `"${file}" holds a ${parsed.document.kind}, not a Contract`,
            file,
            path: ['kind'],
            span: parsed.document.sourceMap.spanOf(['kind']),
            hint: 'pipectl diff compares two versions of one contract',
          });
          return undefined;
        }
        return parsed.document;
      };
      const [base, head] = [await load(oldPath), await load(newPath)];
      const errors = issues.filter((issue) => issue.severity === 'error').length;
      if (!base || !head || errors > 0) {
        ctx.term.err(`${renderIssues(issues, ctx.paint, (file) => texts.get(file))}\n\n`);
        ctx.term.err(`${ctx.paint('red', 'nothing compared')}: ${plural(errors, 'error')}\n`);
        setExit(EXIT.usage);
        return;
      }
      // Two files given on purpose: that their paths differ is no move.
      const { checkContract } = await import('@pipectl/check');
      const { previousFile: _given, ...compared } = checkContract({ base, head, ...(mode ? { mode } : {}) });
      const check = compared.status === 'moved' ? { ...compared, status: 'changed' as const } : compared;
      if (format === 'json') ctx.term.out(`${JSON.stringify(check, null, 2)}\n`);
      else ctx.term.out(`${renderContractText(check, ctx.paint)}\n`);
      setExit(check.failed ? EXIT.checkFailed : EXIT.ok);
    });
}

function parseMode(value: string): CompatibilityMode {
  if ((COMPATIBILITY_MODES as readonly string[]).includes(value)) return value as CompatibilityMode;
  throw new UsageError(
    `unknown compatibility mode "${value}"`,
    `use one of: ${COMPATIBILITY_MODES.join(', ')}`,
  );
}
