// @pipectl/compat: pure functions that tell, for any change to a data contract, whether the
// promise to its consumers still holds. diff -> classify (per mode, from the RULES table) ->
// report, plus the semver policy. No I/O: contracts in, data out.

export { type CompatibilityReport, checkCompatibility } from './classify/check-compatibility.js';
export { type ClassifiedChange, classify, isBlocking, needsApproval } from './classify/classify.js';
export { isConstraintSpelling, isRequired, uniqueKeysOf } from './constraints/spelled-constraints.js';
export type { Change } from './diff/change.js';
export { type DiffOptions, diff, diffContracts } from './diff/diff-contracts.js';
export { qualityCheckIds } from './diff/quality-changes.js';
export { applyWaivers, waiverMatches } from './diff/waivers.js';
export {
  type ChangeReach,
  changedColumnOf,
  changeReach,
  changesReach,
  type ImpactAnswer,
  type ImpactGraph,
  ownersOf,
} from './impact/change-reach.js';
export {
  type CheckGate,
  checkGateOf,
  DEFAULT_REVIEW_POLICY,
  type GatedChange,
  type ReviewPolicy,
  reviewActionOf,
  runGateOf,
  unknownPolicyKeys,
} from './policy/review-policy.js';
export {
  BASE_MODES,
  type BaseMode,
  inversesOf,
  isRuleId,
  RULE_CLASSES,
  RULE_IDS,
  RULES,
  type RuleBump,
  type RuleClass,
  type RuleId,
  type RuleInfo,
  type Symmetry,
  type Verdict,
} from './rules/rule-catalog.js';
export { baseModeOf, isAtLeastAsStrict, isTransitive, stricterVerdict } from './rules/verdicts.js';
export { compareTypes, relateTypes, type TypeDifference, type TypeRelation } from './types/compare-types.js';
export {
  checkVersionBump,
  requiredBump,
  type VersionBump,
  type VersionCheck,
  type VersionFinding,
  type VersionFindingCode,
} from './version/check-version-bump.js';
export { bumpSemver, compareSemver, formatSemver, parseSemver, type SemVer } from './version/semver.js';
