// docs/cli.md is generated from the commands' own help, so the reference cannot drift from the
// CLI. `npm run generate` rewrites it; a test fails when it is stale.
import { createContext } from './context.js';
import { bufferTerminal } from './io/terminal.js';
import { buildProgram } from './program.js';

export function cliReferenceMarkdown(): string {
  const ctx = createContext(bufferTerminal(), '/');
  const program = buildProgram(ctx, () => {});
  const help = (command: typeof program): string => {
    const term = bufferTerminal();
    command.configureOutput({ writeOut: (text) => term.out(text), writeErr: (text) => term.err(text) });
    command.outputHelp();
    return term.stdout.trimEnd();
  };
  const sections = [
    '# CLI reference',
    '',
    "<!-- Generated from `pipectl --help` and each command's `--help` by",
    '     `npm run generate`. Do not edit by hand. -->',
    '',
    'Run the CLI with `npx pipectl <command>` from the repository (or `node apps/pipectl/bin/pipectl.mjs`).',
    'Every command accepts `--help`. Colour is used only when stdout is a terminal; set `NO_COLOR=1` to',
    'turn it off or `FORCE_COLOR=1` to force it.',
    '',
    'Long work shows progress on **stderr** (`test`: each source and step with the rows read, built and',
    'checked; `run --wait`: the steps under way and each retry with its cause; `worker` and `dev`: the',
    'start-up stages, connecting, bundling the workflow, polling). On a terminal it is one live line;',
    'on a pipe or in CI, plain lines (`- what is happening`, `✓ what finished`). stdout, where the',
    'report and `--format json|junit` go, is the same either way. `-q, --quiet` turns progress off.',
    '',
    '## Exit codes',
    '',
    '| code | meaning |',
    '|---|---|',
    '| 0 | ok |',
    '| 1 | a check ran and failed (e.g. warnings under `validate --strict`) |',
    '| 2 | usage error, or the project is invalid: problems are printed with `file:line:col` and a code from [error-codes.md](error-codes.md) |',
    '| 70 | internal error in pipectl: rerun with `PIPECTL_DEBUG=1` and report the output |',
    '',
    '## pipectl',
    '',
    '```text',
    help(program),
    '```',
  ];
  for (const command of program.commands) {
    sections.push('', `## pipectl ${command.name()}`, '', '```text', help(command), '```');
    // Commands with subcommands (`docs build`, `docs serve`): each subcommand's own help too.
    for (const sub of command.commands)
      sections.push('', `### pipectl ${command.name()} ${sub.name()}`, '', '```text', help(sub), '```');
  }
  return `${sections.join('\n')}\n`;
}
