// The version policy: a contract's semver bump must match its changes. A breaking change needs a
// major bump, other schema and promise changes a minor one, metadata alone a patch. Under 0.x a
// minor bump counts as major and a patch bump as minor, as semver says for initial development.
import type { ClassifiedChange } from '../classify/classify.js';
import { RULES, type RuleBump } from '../rules/rule-catalog.js';
import { bumpSemver, compareSemver, formatSemver, parseSemver, releaseOf, type SemVer } from './semver.js';

export type VersionBump = 'major' | 'minor' | 'patch' | 'none';

export type VersionFindingCode =
  | 'VERSION_BUMP_MISSING'
  | 'VERSION_BUMP_EXCESSIVE'
  | 'VERSION_DOWNGRADED'
  | 'VERSION_INVALID';

export interface VersionFinding {
  /** Stable code: a missing bump, a downgrade or an invalid version is an error; an excessive bump a warning. */
  readonly code: VersionFindingCode;
  readonly severity: 'error' | 'warning';
}

export interface VersionCheck {
  /** False when there is an error-level finding. */
  readonly ok: boolean;
  /** The smallest bump the changes need. */
  readonly required: VersionBump;
  /** The bump made: which part of the version changed. */
  readonly actual: VersionBump | 'downgrade' | 'invalid';
  /** The smallest version after the previous one that satisfies `required`. */
  readonly suggested: string;
  readonly message: string;
  readonly finding?: VersionFinding;
}

const BUMP_RANK: Readonly<Record<VersionBump, number>> = { none: 0, patch: 1, minor: 2, major: 3 };

function largest(bumps: readonly VersionBump[]): VersionBump {
  return bumps.reduce<VersionBump>((max, bump) => (BUMP_RANK[bump] > BUMP_RANK[max] ? bump : max), 'none');
}

/** What one change needs: major when it counts as breaking, else what its rule declares. */
function neededBy(change: ClassifiedChange): RuleBump {
  return change.verdict === 'breaking' && change.waived === undefined ? 'major' : RULES[change.rule].bump;
}

/** The most any reading could ask of a change: major when it breaks under the strictest mode. */
function justifiedBy(change: ClassifiedChange): RuleBump {
  return RULES[change.rule].verdicts.full === 'breaking' ? 'major' : RULES[change.rule].bump;
}

/** The smallest bump a set of classified changes needs. */
export function requiredBump(changes: readonly ClassifiedChange[]): VersionBump {
  return largest(changes.map(neededBy));
}

/** How a bump is counted: what it satisfies, and how large it is when judging excess. */
interface BumpWeight {
  readonly actual: VersionBump;
  readonly satisfies: VersionBump;
  readonly size: VersionBump;
}

function weigh(previous: SemVer, next: SemVer): BumpWeight {
  const actual: VersionBump =
    next.major !== previous.major
      ? 'major'
      : next.minor !== previous.minor
        ? 'minor'
        : next.patch !== previous.patch
          ? 'patch'
          : 'none';
  const progressed = compareSemver(next, previous) > 0;
  // From a prerelease to a later one or to its release: prereleases promise nothing.
  if (previous.prerelease.length > 0 && actual === 'none' && progressed)
    return { actual, satisfies: 'major', size: 'none' };
  if (previous.major === 0) {
    // Initial development: 0.x -> 1.0.0 is the first stable release, never an excess.
    const zero: Readonly<Record<VersionBump, BumpWeight>> = {
      major: { actual, satisfies: 'major', size: 'none' },
      minor: { actual, satisfies: 'major', size: 'major' },
      patch: { actual, satisfies: 'minor', size: 'patch' },
      none: { actual, satisfies: 'none', size: 'none' },
    };
    return zero[actual];
  }
  return { actual, satisfies: actual, size: actual };
}

function suggest(previous: SemVer, required: VersionBump): SemVer {
  if (required === 'none') return previous;
  if (previous.prerelease.length > 0) return releaseOf(previous);
  if (previous.major === 0) return bumpSemver(previous, required === 'major' ? 'minor' : 'patch');
  return bumpSemver(previous, required);
}

/**
 * Checks that `nextVersion` is bumped enough, and not more than needed, for `changes`
 * (classified under the contract's mode, waivers applied).
 * @example checkVersionBump('1.4.0', '1.5.0', classify(diff(v1, v2), 'forward')) // { ok: false, required: 'major', suggested: '2.0.0', ... } after a column removal
 */
export function checkVersionBump(
  previousVersion: string,
  nextVersion: string,
  changes: readonly ClassifiedChange[],
): VersionCheck {
  const required = requiredBump(changes);
  const previous = parseSemver(previousVersion);
  const next = parseSemver(nextVersion);
  if (!previous || !next) {
    const bad = previous ? nextVersion : previousVersion;
    return {
      ok: false,
      required,
      actual: 'invalid',
      suggested: previous ? formatSemver(suggest(previous, required)) : nextVersion,
      message: `version ${JSON.stringify(bad)} is not semver MAJOR.MINOR.PATCH`,
      finding: { code: 'VERSION_INVALID', severity: 'error' },
    };
  }
  const suggested = formatSemver(suggest(previous, required));
  if (compareSemver(next, previous) < 0) {
    return {
      ok: false,
      required,
      actual: 'downgrade',
      suggested,
      message: `version goes backwards from ${previousVersion} to ${nextVersion}: use ${suggested} or later`,
      finding: { code: 'VERSION_DOWNGRADED', severity: 'error' },
    };
  }
  const weight = weigh(previous, next);
  const step = `${previousVersion} -> ${nextVersion}`;
  const made = weight.actual === 'none' ? 'no bump' : `a ${weight.actual} bump`;
  const reason = reasonFor(changes, required);
  if (BUMP_RANK[weight.satisfies] < BUMP_RANK[required]) {
    return {
      ok: false,
      required,
      actual: weight.actual,
      suggested,
      message: `version ${step} is ${made}, but the changes need a ${required} bump${reason}: use ${suggested}`,
      finding: { code: 'VERSION_BUMP_MISSING', severity: 'error' },
    };
  }
  const justified = largest([required, ...changes.map(justifiedBy)]);
  if (BUMP_RANK[weight.size] > BUMP_RANK[justified]) {
    const enough =
      justified === 'none'
        ? 'no change of version'
        : `a ${justified} bump (${formatSemver(suggest(previous, justified))})`;
    return {
      ok: true,
      required,
      actual: weight.actual,
      suggested,
      message: `version ${step} is ${made}, but the changes need only ${enough}`,
      finding: { code: 'VERSION_BUMP_EXCESSIVE', severity: 'warning' },
    };
  }
  const matches =
    required === 'none' ? 'no changes, no bump needed' : `matches the changes (${required} needed)`;
  return { ok: true, required, actual: weight.actual, suggested, message: `version ${step} ${matches}` };
}

/** ` (FIELD_REMOVED at columns.legacy_code is breaking)`: the first change that asks for the bump. */
function reasonFor(changes: readonly ClassifiedChange[], required: VersionBump): string {
  const first = changes.find((change) => neededBy(change) === required);
  if (!first) return '';
  const what =
    neededBy(first) === 'major' && first.verdict === 'breaking' && !first.waived
      ? 'is breaking'
      : `needs ${required}`;
  return ` (${first.rule}${first.path ? ` at ${first.path}` : ''} ${what})`;
}
