// A report in a few readable lines per contract, for inline snapshots: what changed, the verdict,
// where, and who it reaches.
import type { RepositoryCheckReport } from '../../src/index.js';

export function outline(report: RepositoryCheckReport): string[] {
  return report.contracts.flatMap((contract) => {
    const moved = contract.previousFile ? ` (from ${contract.previousFile})` : '';
    const renamed = contract.previousDataset ? ` (was ${contract.previousDataset})` : '';
    const version =
      contract.versionCheck.finding?.code ?? (contract.versionCheck.ok ? 'version ok' : 'version error');
    const lines = [
      `${contract.file}${moved}: ${contract.dataset}${renamed} ${contract.status}, ${version}${contract.failed ? ', FAILS' : ''}`,
    ];
    for (const change of contract.changes) {
      const where = change.location
        ? ` @${change.location.line}${change.location.side === 'base' ? ' (base)' : ''}`
        : '';
      const waived = change.waived ? ' waived' : '';
      const against = contract.comparedWith.length > 1 ? ` vs ${change.against}` : '';
      const reach = change.impact
        ? ` -> [${change.impact.datasets.map((d) => d.name).join(', ')}] owners [${change.impact.owners.join(', ')}]`
        : '';
      lines.push(
        `  ${change.verdict}${waived} ${change.rule} ${change.path || '(dataset)'}${where}${against}${reach}`,
      );
    }
    return lines;
  });
}
