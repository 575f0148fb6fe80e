// @pipectl/compat: pure functions that tell, for any change to a data contract, whether the
// promise to its consumers still holds. diff -> classify (per mode, from the RULES table) ->
// report, plus the semver policy. No I/O: contracts in, data out.

export { type CompatibilityReport, checkCompatibility } from './classify/check-compatibility.js';
export type { ClassifiedChange } from './classify/classify.js';
export type { Change } from './diff/change.js';
export { diff } from './diff/diff-contracts.js';
export { qualityCheckIds } from './diff/quality-changes.js';
export { changeReach, changesReach, ownersOf } from './impact/change-reach.js';
export {
  type CheckGate,
  checkGateOf,
  DEFAULT_REVIEW_POLICY,
  type ReviewPolicy,
  reviewActionOf,
  runGateOf,
  unknownPolicyKeys,
} from './policy/review-policy.js';
export { isTransitive } from './rules/verdicts.js';
export type { VersionCheck } from './version/check-version-bump.js';
