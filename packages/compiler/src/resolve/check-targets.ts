// Targets at validate: an environment variable a target of pipectl.yaml reads and that is not set
// here is a warning at the value that reads it (the target may be meant for another machine, such
// as CI or production); using that target is an error (resolveTarget). Literal secrets and an
// unknown `target:` are the loader's errors already.
import { type Environment, type Issue, missingVariableIssue, unsetTargetVariables } from '@pipectl/spec';
import type { LoadedProject } from '../load/load-project.js';

export function checkTargets(loaded: LoadedProject, issues: Issue[], env: Environment): void {
  const document = loaded.projectDocument;
  if (!document) return;
  for (const missing of unsetTargetVariables(document.value, env)) {
    const issue = missingVariableIssue(missing, 'warning');
    issues.push({ ...issue, file: document.file, span: document.sourceMap.spanOf(issue.path) });
  }
}
