// Targets at validate: an environment variable a target of pipectl.yaml reads and that is not set
// here is a warning at the value that reads it (the target may be meant for another machine, such
// as CI or production); using that target is an error (resolveTarget). Two targets whose workers
// would poll the same task queue of the same Temporal namespace but write different warehouses are
// a warning too (PIPE2036): a worker of one would take the other's runs. Literal secrets and an
// unknown `target:` are the loader's errors already.
import {
  DEFAULT_TARGET,
  type Environment,
  type Issue,
  missingVariableIssue,
  type Project,
  type ProjectDocument,
  type TargetConfig,
  unsetTargetVariables,
} from '@pipectl/spec';
import type { LoadedProject } from '../load/load-project.js';

export function checkTargets(loaded: LoadedProject, issues: Issue[], env: Environment): void {
  const document = loaded.projectDocument;
  if (!document) return;
  for (const missing of unsetTargetVariables(document.value, env)) {
    const issue = missingVariableIssue(missing, 'warning');
    issues.push({ ...issue, file: document.file, span: document.sourceMap.spanOf(issue.path) });
  }
  checkSharedTaskQueues(loaded.project, document, issues);
}

/** Where a target's workers poll and what they write, as pipectl.yaml declares them (before `${VAR}`s). */
interface TargetPlace {
  readonly name: string;
  readonly queue: string;
  readonly warehouse: string;
  /** Whether the target declares a `temporal:` of its own (targets that do not share the top level's). */
  readonly ownTemporal: boolean;
}

function placesOf(project: Project): TargetPlace[] {
  const named = Object.entries(project.targets ?? {});
  const topLevel: [string, TargetConfig] = [
    DEFAULT_TARGET,
    { warehouse: { kind: 'duckdb', path: project.warehouse.path } },
  ];
  const all = named.some(([name]) => name === DEFAULT_TARGET) ? named : [topLevel, ...named];
  return all.map(([name, config]) => {
    const temporal = config.temporal;
    const queue = [
      temporal?.address ?? project.temporal.address,
      temporal?.namespace ?? project.temporal.namespace,
      temporal?.taskQueue ?? project.temporal.taskQueue ?? `pipectl-${project.name}`,
    ].join(' ');
    const warehouse =
      config.warehouse.kind === 'duckdb'
        ? `duckdb ${config.warehouse.path}`
        : `ducklake ${config.warehouse.catalog} ${config.warehouse.dataPath}`;
    return { name, queue, warehouse, ownTemporal: temporal !== undefined };
  });
}

/**
 * PIPE2036 at the later of two targets that declare the same Temporal address, namespace and task
 * queue for different warehouses, when at least one of them declares its Temporal (two targets that
 * both use the top-level `temporal:` are the laptop's, started one at a time).
 */
function checkSharedTaskQueues(project: Project, document: ProjectDocument, issues: Issue[]): void {
  const places = placesOf(project);
  places.forEach((place, i) => {
    const earlier = places
      .slice(0, i)
      .find(
        (other) =>
          other.queue === place.queue &&
          other.warehouse !== place.warehouse &&
          (other.ownTemporal || place.ownTemporal),
      );
    if (!earlier) return;
    const [address, namespace, taskQueue] = place.queue.split(' ');
    const path = place.ownTemporal ? ['targets', place.name, 'temporal'] : ['targets', place.name];
    issues.push({
      code: 'PIPE2036',
      severity: 'warning',
      message: `targets "${earlier.name}" and "${place.name}" write different warehouses but their workers poll the same task queue "${taskQueue}" of namespace "${namespace}" at ${address}: a worker of one would take the other's runs`,
      file: document.file,
      path,
      span: document.sourceMap.spanOf(path),
      expected: 'a task queue of its own for each target on one Temporal namespace',
      hint: `give target "${place.name}" its own queue (\`temporal: { taskQueue: pipectl-${project.name}-${place.name} }\`), or its own namespace`,
    });
  });
}
