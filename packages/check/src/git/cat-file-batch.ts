// Reads many git objects with one `git cat-file --batch` process: one line per object name in,
// `<oid> <type> <size>\n<content>\n` (or `<name> missing\n`) per object out. Starting one git
// per file would cost more than the check itself on a large project.
import type { Git } from './git-runner.js';

/** What `cat-file --batch` said about one object name: its content, or that there is none. */
export type BatchObject =
  | { readonly found: true; readonly type: string; readonly content: Buffer }
  | { readonly found: false };

/**
 * The objects named by `names` (object ids or `<commit>:<path>`), in the same order.
 * @example const [blob] = await catFileBatch(git, ['HEAD:contracts/orders.contract.yaml']);
 */
export async function catFileBatch(git: Git, names: readonly string[]): Promise<BatchObject[]> {
  if (names.length === 0) return [];
  for (const name of names) {
    // One name per line: a newline in a name would desynchronise the answers.
    if (name.includes('\n')) throw new Error(`object name ${JSON.stringify(name)} holds a newline`);
  }
  const output = await git.run(['cat-file', '--batch'], { input: `${names.join('\n')}\n` });
  return parseBatchOutput(output, names.length);
}

/** Parses `count` answers of `cat-file --batch` from `output`. */
export function parseBatchOutput(output: Buffer, count: number): BatchObject[] {
  const objects: BatchObject[] = [];
  let at = 0;
  for (let index = 0; index < count; index++) {
    const end = output.indexOf(0x0a, at);
    if (end < 0) throw new Error(`git cat-file --batch answered ${index} of ${count} objects`);
    const header = output.toString('utf8', at, end);
    at = end + 1;
    const match = /^(\S+) (\S+) (\d+)$/.exec(header);
    if (!match) {
      // `<name> missing` or `<name> ambiguous`: no content follows.
      objects.push({ found: false });
      continue;
    }
    const size = Number(match[3]);
    objects.push({ found: true, type: match[2] as string, content: output.subarray(at, at + size) });
    at += size + 1;
  }
  return objects;
}
