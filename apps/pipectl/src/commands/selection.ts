// `--select` / `--exclude` on the commands that act on a set of datasets (test, run, lineage,
// check, docs): the options, their help, and turning them into dataset names on the compiled
// project, with selector mistakes reported as usage errors (exit 2) that show where and what to write.
import type { ProjectPlan } from '@pipectl/compiler';
import type { Command } from 'commander';
import { UsageError } from '../usage-error.js';

export interface SelectionOptions {
  select?: string[];
  exclude?: string[];
}

export const SELECTOR_HELP = `
Selecting datasets (--select / --exclude, the grammar dbt users know):
  mart.orders            one dataset; globs work: "mart.*"
  +mart.orders           it and everything it is built from    2+mart.orders: two hops up
  stg.orders+            it and everything built from it       stg.orders+1: one hop down
  @stg.orders            it, everything built from it, and everything those need
  tag:finance  owner:data-eng  pipeline:shop_daily  path:contracts/mart
  "a b" is a union, "a,b" an intersection; --exclude removes what it selects.`;

/** Adds `-s, --select` and `--exclude` to a command. */
export function withSelectOptions(command: Command, what: string): Command {
  return command
    .option('-s, --select <selector...>', `only the datasets these selectors name (${what})`)
    .option('--exclude <selector...>', 'leave out the datasets these selectors name');
}

/** True when the user gave --select or --exclude. */
export function hasSelection(options: SelectionOptions): boolean {
  return (options.select?.length ?? 0) > 0 || (options.exclude?.length ?? 0) > 0;
}

/**
 * The dataset names the options select on the compiled plan, or undefined when none was given.
 * @example selectedDatasets(result.plan, { select: ['+mart.daily_revenue'] }) // ['mart.daily_revenue', 'raw.orders', ...]
 */
export async function selectedDatasets(
  plan: ProjectPlan,
  options: SelectionOptions,
): Promise<ReadonlySet<string> | undefined> {
  if (!hasSelection(options)) return undefined;
  const { SelectorMatchError, SelectorSyntaxError, selectDatasets, selectionGraph } = await import(
    '@pipectl/compiler'
  );
  try {
    const names = selectDatasets(selectionGraph(plan), {
      ...(options.select ? { select: options.select } : {}),
      ...(options.exclude ? { exclude: options.exclude } : {}),
    });
    if (names.length === 0) {
      throw new UsageError(
        'the selection is empty: --exclude removed everything --select named',
        'narrow --exclude, or widen --select',
      );
    }
    return new Set(names);
  } catch (error) {
    if (error instanceof SelectorSyntaxError) {
      const caret = `${' '.repeat(error.offset)}^`;
      throw new UsageError(`${error.message}\n    ${error.selector}\n    ${caret}`, error.hint);
    }
    if (error instanceof SelectorMatchError) throw new UsageError(error.message, error.hint);
    throw error;
  }
}
