// Semver through the `semver` package (npm's own): parse MAJOR.MINOR.PATCH[-prerelease], order by
// precedence, bump. This file only narrows it to what a contract's `version:` may say. The package
// is plain JavaScript without Node builtins, so it is safe wherever compat goes.
import semver from 'semver';

export type SemVer = semver.SemVer;

/** The parsed version, or undefined when the text is not semver (a leading `v` is refused too). */
export function parseSemver(text: string): SemVer | undefined {
  const trimmed = text.trim();
  // `semver` accepts `v1.2.3`; a contract's version is the bare number.
  if (!/^\d/.test(trimmed)) return undefined;
  return semver.parse(trimmed) ?? undefined;
}

/** Negative when a < b, zero when equal in precedence, positive when a > b (semver 2.0.0 section 11). */
export function compareSemver(a: SemVer, b: SemVer): number {
  return semver.compare(a, b);
}

/** The version without build metadata: `1.4.2-rc.1`. */
export function formatSemver(version: SemVer): string {
  return version.version;
}

/** The release a prerelease leads to: 2.0.0-rc.1 -> 2.0.0. */
export function releaseOf(version: SemVer): SemVer {
  return new semver.SemVer(`${version.major}.${version.minor}.${version.patch}`);
}

/** The next release with that part bumped: 1.4.2 -> 2.0.0 (major), 1.5.0 (minor), 1.4.3 (patch). */
export function bumpSemver(version: SemVer, part: 'major' | 'minor' | 'patch'): SemVer {
  // A prerelease's bump is its own release: 2.0.0-rc.1 -> 2.0.0 (major); callers strip prereleases first.
  return new semver.SemVer(version.version).inc(part);
}
