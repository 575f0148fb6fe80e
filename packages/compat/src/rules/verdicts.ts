// Verdicts are ordered (compatible < review < breaking) and modes reduce to a base mode: the few
// helpers every consumer of the rule table needs.
import type { CompatibilityMode } from '@pipectl/spec';
import type { BaseMode, Verdict } from './rule-catalog.js';

const VERDICT_RANK: Readonly<Record<Verdict, number>> = { compatible: 0, review: 1, breaking: 2 };

/** The stricter of two verdicts. */
export function stricterVerdict(a: Verdict, b: Verdict): Verdict {
  return VERDICT_RANK[b] > VERDICT_RANK[a] ? b : a;
}

/** True when `a` is at least as strict as `b`. */
export function isAtLeastAsStrict(a: Verdict, b: Verdict): boolean {
  return VERDICT_RANK[a] >= VERDICT_RANK[b];
}

const BASE_OF: Readonly<Record<CompatibilityMode, BaseMode>> = {
  backward: 'backward',
  backward_transitive: 'backward',
  forward: 'forward',
  forward_transitive: 'forward',
  full: 'full',
  full_transitive: 'full',
  none: 'none',
};

const TRANSITIVE: Readonly<Record<CompatibilityMode, boolean>> = {
  backward: false,
  backward_transitive: true,
  forward: false,
  forward_transitive: true,
  full: false,
  full_transitive: true,
  none: false,
};

/** The mode whose verdicts a mode uses: `forward_transitive` judges like `forward`. */
export function baseModeOf(mode: CompatibilityMode): BaseMode {
  return BASE_OF[mode];
}

/** Transitive modes compare with every earlier version instead of only the latest. */
export function isTransitive(mode: CompatibilityMode): boolean {
  return TRANSITIVE[mode];
}
