// Publishing a project's pipelines with the engine itself, as a run's steps do: for CLI tests that
// need a warehouse with a registry (publications, check results) without starting Temporal. The
// project is opened through the library façade, on the target the test names.
import { runPipeline } from '@pipectl/engine';
import { openProject } from '@pipectl/project';

/** Runs every pipeline of the project in `dir` on its target `target` once, as run `runId`. */
export async function publishProject(dir: string, target: string, runId: string): Promise<void> {
  const project = await openProject(dir, { target });
  const { plan } = await project.compile();
  const contracts = new Map(project.loaded.contracts.map((doc) => [doc.value.name, doc.value]));
  const warehouse = await project.openWarehouse();
  try {
    for (const pipeline of plan.pipelines) {
      const report = await runPipeline(warehouse, { pipeline, contracts, runId, projectDir: project.dir });
      if (!report.passed)
        throw new Error(`run ${runId} on ${target} did not pass: ${JSON.stringify(report)}`);
    }
  } finally {
    warehouse.close();
  }
}
