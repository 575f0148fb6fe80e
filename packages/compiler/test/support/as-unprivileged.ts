// Permissions do not stop root, and test machines often run as root. This runs `work` with the
// effective uid of `nobody` when the process is root (seteuid, restored afterwards), so a folder
// with mode 000 is as unreadable to the loader as it is to any user. Needs a forked test process.
import { chmod } from 'node:fs/promises';
import { dirname } from 'node:path';

const NOBODY = 65534;

/** Runs `work` unprivileged; nobody is let through the temporary folders above `target` (not into it). */
export async function asUnprivileged<T>(target: string, work: () => Promise<T>): Promise<T> {
  if (process.geteuid?.() !== 0 || process.seteuid === undefined) return work();
  // mkdtemp makes 0700 folders; nobody needs to walk into them to meet the one it must not read.
  for (let dir = dirname(target); dir !== dirname(dir) && dir.startsWith('/tmp/'); dir = dirname(dir)) {
    await chmod(dir, 0o755);
  }
  process.seteuid(NOBODY);
  try {
    return await work();
  } finally {
    process.seteuid(0);
  }
}
