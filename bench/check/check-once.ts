// One measured check in a fresh process, for run.ts: checks the repository given as the first
// argument against its second argument (a revision) and prints one JSON line with the time, the
// summary and the peak RSS.
import { checkRepository } from '@pipectl/check';

const [dir, base, mode, cache] = process.argv.slice(2);
if (!dir || !base) throw new Error('usage: check-once.ts <repository> <base> [changed-only|all] [cache]');

const started = performance.now();
const report = await checkRepository({
  repoDir: dir,
  base,
  changedOnly: mode === 'changed-only',
  cache: cache === 'cache',
});
const totalMs = performance.now() - started;

console.log(
  JSON.stringify({
    totalMs,
    contracts: report.summary.contracts,
    unchanged: report.summary.unchanged,
    changes: report.summary.changes,
    unapprovedBreaking: report.summary.unapprovedBreaking,
    versionErrors: report.summary.versionErrors,
    issues: report.issues.length,
    // resourceUsage().maxRSS is in kilobytes.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
