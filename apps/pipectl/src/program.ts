// The command tree. Each command lives in its own file and registers itself here.
import { Command } from 'commander';
import { registerCheck } from './commands/check.js';
import { registerCompile } from './commands/compile.js';
import { registerDecide } from './commands/decide.js';
import { registerDeploy } from './commands/deploy.js';
import { registerDev } from './commands/dev.js';
import { registerDiff } from './commands/diff.js';
import { registerDocs } from './commands/docs.js';
import { registerExport } from './commands/export.js';
import { registerHistory } from './commands/history.js';
import { registerImport } from './commands/import.js';
import { registerInit } from './commands/init.js';
import { registerLineage } from './commands/lineage.js';
import { registerRestore } from './commands/restore.js';
import { registerRun } from './commands/run.js';
import { registerSchema } from './commands/schema.js';
import { registerStatus } from './commands/status.js';
import { registerTest } from './commands/test.js';
import { registerValidate } from './commands/validate.js';
import { registerVerify } from './commands/verify.js';
import { registerWorker } from './commands/worker.js';
import type { CliContext } from './context.js';

export const VERSION = '0.1.0';

export function buildProgram(ctx: CliContext, setExit: (code: number) => void): Command {
  const program = new Command('pipectl')
    .description(
      'Contract-driven data pipelines: YAML data contracts and pipelines, compiled into a column-level\n' +
        'lineage graph, checked for compatibility, run durably on Temporal with DuckDB.',
    )
    .version(VERSION, '-V, --version', 'print the pipectl version')
    // `-V, --version` belongs to pipectl only before a command: `pipectl restore --version 3` is restore's.
    .enablePositionalOptions()
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    // Descriptions break their own lines at ~100 columns; a wider help keeps commander from re-wrapping them.
    .configureHelp({ helpWidth: 110 })
    .configureOutput({
      writeOut: (text) => ctx.term.out(text),
      writeErr: (text) => ctx.term.err(text),
      outputError: (text, write) => write(ctx.paint('red', text)),
    })
    .addHelpText(
      'after',
      `
Exit codes:
  0   ok
  1   a check ran and failed
  2   usage error, or the project is invalid (problems are printed with file:line:col)
  70  internal error in pipectl (please report it with the output)

Get started:
  $ pipectl init my-project && cd my-project
  $ pipectl validate
  $ pipectl lineage analytics.daily_signups --upstream
  $ pipectl dev                                  # Temporal + web UI + worker (another terminal)
  $ pipectl run signups_daily --wait

Docs: docs/cli.md, docs/authoring.md, docs/reference/`,
    );
  program.exitOverride();
  registerInit(program, ctx, setExit);
  registerValidate(program, ctx, setExit);
  registerCompile(program, ctx, setExit);
  registerLineage(program, ctx, setExit);
  registerSchema(program, ctx, setExit);
  registerDiff(program, ctx, setExit);
  registerCheck(program, ctx, setExit);
  registerTest(program, ctx, setExit);
  registerVerify(program, ctx, setExit);
  registerRun(program, ctx, setExit);
  registerStatus(program, ctx, setExit);
  registerDecide(program, ctx, setExit);
  registerHistory(program, ctx, setExit);
  registerRestore(program, ctx, setExit);
  registerWorker(program, ctx, setExit);
  registerDev(program, ctx, setExit);
  registerDeploy(program, ctx, setExit);
  registerDocs(program, ctx, setExit);
  registerImport(program, ctx, setExit);
  registerExport(program, ctx, setExit);
  for (const command of program.commands) {
    command.exitOverride();
    command.configureOutput(program.configureOutput());
    command.showHelpAfterError('(run with --help for usage)');
  }
  return program;
}
