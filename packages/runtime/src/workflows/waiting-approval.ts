// Which waiting approval a decision is for. Several steps of one run can wait at once (parallel
// branches): a decision names its step (and the change fingerprint it reviewed), and only when
// exactly one step waits may it name neither. Shared by the workflow, which refuses what does not
// match, and by the client, which fills step and fingerprint from the run's status.
import type { PendingApproval } from './run-types.js';

export type ChosenApproval =
  | { readonly ok: true; readonly pending: PendingApproval }
  | { readonly ok: false; readonly reason: string };

/**
 * @example chooseApproval(view.awaiting, { step: 'daily_revenue', fingerprint: '3f9c0a5e1b2d4c6f' })
 */
export function chooseApproval(
  waiting: readonly PendingApproval[],
  target: { readonly step?: string | undefined; readonly fingerprint?: string | undefined },
): ChosenApproval {
  if (waiting.length === 0) return { ok: false, reason: 'this run is not waiting for an approval' };
  let pending: PendingApproval | undefined;
  if (target.step !== undefined) {
    pending = waiting.find((p) => p.step === target.step);
    if (!pending) {
      return {
        ok: false,
        reason: `step "${target.step}" is not waiting for an approval (waiting: ${listWaiting(waiting)})`,
      };
    }
  } else if (target.fingerprint !== undefined) {
    pending = waiting.find((p) => p.fingerprint === target.fingerprint);
    if (!pending) {
      return {
        ok: false,
        reason: `no waiting change has fingerprint ${target.fingerprint} (waiting: ${listWaiting(waiting)}); the change may have been replaced: look again with \`pipectl status\``,
      };
    }
  } else if (waiting.length === 1) {
    pending = waiting[0];
  } else {
    return {
      ok: false,
      reason: `${waiting.length} steps wait for a decision: ${listWaiting(waiting)}; name the one you reviewed with "step" and "fingerprint"`,
    };
  }
  if (!pending) return { ok: false, reason: 'this run is not waiting for an approval' };
  if (target.fingerprint !== undefined && target.fingerprint !== pending.fingerprint) {
    return {
      ok: false,
      reason: `the change waiting at step "${pending.step}" has fingerprint ${pending.fingerprint}, not ${target.fingerprint}: it is not the change that was reviewed; look again with \`pipectl status\``,
    };
  }
  return { ok: true, pending };
}

/** `daily_revenue (fingerprint 3f9c…), customer_totals (fingerprint 8a1b…)` */
export function listWaiting(waiting: readonly PendingApproval[]): string {
  return waiting.map((p) => `${p.step} (fingerprint ${p.fingerprint})`).join(', ');
}
