// Publishing a project's pipelines with the engine itself, as a run's steps do: for CLI tests that
// need a warehouse with a registry (publications, check results) without starting Temporal.
import { compile, loadProject } from '@pipectl/compiler';
import { openTargetWarehouse, projectReadablePaths, runPipeline } from '@pipectl/engine';
import { resolveTarget } from '@pipectl/spec';

/** Runs every pipeline of the project in `dir` on its target `target` once, as run `runId`. */
export async function publishProject(dir: string, target: string, runId: string): Promise<void> {
  const result = await compile(dir);
  const loaded = await loadProject(dir);
  const resolved = resolveTarget(result.project, { name: target, env: process.env });
  if (!resolved.ok) throw new Error(resolved.issues.map((i) => i.message).join('; '));
  const warehouse = await openTargetWarehouse(resolved.target, dir, {
    readable: projectReadablePaths(dir, result.project, result.plan.pipelines),
  });
  try {
    const contracts = new Map(loaded.contracts.map((doc) => [doc.value.name, doc.value]));
    for (const pipeline of result.plan.pipelines) {
      const report = await runPipeline(warehouse, { pipeline, contracts, runId, projectDir: dir });
      if (!report.passed)
        throw new Error(`run ${runId} on ${target} did not pass: ${JSON.stringify(report)}`);
    }
  } finally {
    warehouse.close();
  }
}
