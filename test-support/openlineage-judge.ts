// Hands OpenLineage events to openlineage-python's models (openlineage_judge.py) and returns their
// verdicts. Shared by the tests of @pipectl/openlineage (the builder) and @pipectl/runtime (the runs).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPythonTool } from './python-tools.js';

const JUDGE = fileURLToPath(new URL('./openlineage_judge.py', import.meta.url));

export interface Verdict {
  readonly ok: boolean;
  readonly errors: readonly string[];
}

/** One verdict per event, in order; throws when the judge itself did not run. */
export async function judgeEvents(events: readonly unknown[]): Promise<Verdict[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-ol-judge-'));
  try {
    const file = join(dir, 'events.ndjson');
    writeFileSync(file, events.map((event) => JSON.stringify(event)).join('\n'));
    const run = await runPythonTool('python', [JUDGE, file]);
    if (run.code !== 0) throw new Error(`the OpenLineage judge failed (${run.code}):\n${run.stderr}`);
    return (JSON.parse(run.stdout) as { events: Verdict[] }).events;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
