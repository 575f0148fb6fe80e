// The published versions of contracts, for *_transitive modes: each contract file's history up
// to the base (bounded), every version read with one `cat-file --batch` for all contracts, one
// contract per distinct `version`, oldest first, ending with the base's own.
import { type Contract, parseDocument } from '@pipectl/spec';
import { catFileBatch } from './cat-file-batch.js';
import { type FileRevision, fileHistory } from './file-history.js';
import type { Git } from './git-runner.js';

export interface HistoryRequest {
  /** Repository-relative path of the contract file at the base. */
  readonly path: string;
  /** The contract at the base: always the last version of its history. */
  readonly base: Contract;
}

/** How many `git log` processes run at once. */
const CONCURRENCY = 8;

/**
 * The history of each requested contract, in the order of the requests.
 * @example const [versions] = await contractHistories(git, 'origin/main', [{ path, base }], 20) // [v1, v2, base]
 */
export async function contractHistories(
  git: Git,
  baseCommit: string,
  requests: readonly HistoryRequest[],
  limit: number,
): Promise<Contract[][]> {
  const revisions: FileRevision[][] = new Array(requests.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const index = next++;
      const request = requests[index] as HistoryRequest;
      revisions[index] = await fileHistory(git, baseCommit, request.path, limit);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, requests.length) }, worker));

  const names = revisions.flatMap((list) => list.map((revision) => `${revision.commit}:${revision.path}`));
  const objects = await catFileBatch(git, names);
  let at = 0;
  return requests.map((request, index) => {
    const seen = new Map<string, Contract>();
    for (const revision of revisions[index] ?? []) {
      const object = objects[at++];
      if (!object?.found) continue;
      const parsed = parseDocument(revision.path, object.content.toString('utf8'));
      const contract = parsed.document?.kind === 'Contract' ? parsed.document.value : undefined;
      // Newest first: the newest text of each version is the one that was published last.
      if (contract && !seen.has(contract.version)) seen.set(contract.version, contract);
    }
    seen.delete(request.base.version);
    return [...[...seen.values()].reverse(), request.base];
  });
}
