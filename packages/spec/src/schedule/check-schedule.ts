// A pipeline's schedule, checked at validate so a deploy never meets a cron or a zone that Temporal
// refuses. Field values are checked by croner (a maintained cron parser); the forms accepted are
// the ones Temporal's schedule spec and croner read alike: five fields (minute hour day-of-month
// month day-of-week) with numbers, names, `*`, ranges, lists and steps, or @hourly/@daily/
// @weekly/@monthly/@yearly. croner's extensions (`L`, `W`, `?`, `#`) are refused: Temporal reads
// `#` as the start of a comment and does not know the others. Time zones are IANA names as the tz
// database spells them (Temporal loads them with Go's time.LoadLocation, which is case-sensitive).
import { Cron } from 'croner';

export interface ScheduleProblem {
  readonly message: string;
  /** Offset in the checked value where the problem starts, and how many characters it spans. */
  readonly offset: number;
  readonly length: number;
  readonly hint: string;
}

const PREDEFINED = new Set(['@hourly', '@daily', '@weekly', '@monthly', '@yearly', '@annually']);
const FIELDS = ['minute', 'hour', 'day of month', 'month', 'day of week'] as const;

/**
 * Why a cron expression would not run on Temporal, or undefined when it would.
 * @example checkCron('99 99 * * *')?.message // 'minute 99 is out of range (0-59)'
 */
export function checkCron(cron: string): ScheduleProblem | undefined {
  return remember(cronAnswers, cron, uncachedCheckCron);
}

// A project repeats a few expressions and zones across hundreds of pipelines, and asking Intl
// about a zone costs ~0.5 ms: each distinct value is judged once per process.
const cronAnswers = new Map<string, ScheduleProblem | undefined>();
const zoneAnswers = new Map<string, ScheduleProblem | undefined>();

function remember(
  answers: Map<string, ScheduleProblem | undefined>,
  value: string,
  judge: (value: string) => ScheduleProblem | undefined,
): ScheduleProblem | undefined {
  if (answers.has(value)) return answers.get(value);
  const answer = judge(value);
  if (answers.size < 10_000) answers.set(value, answer);
  return answer;
}

function uncachedCheckCron(cron: string): ScheduleProblem | undefined {
  const trimmed = cron.trim();
  const start = cron.indexOf(trimmed);
  if (PREDEFINED.has(trimmed.toLowerCase())) return undefined;
  const whole = { offset: start, length: Math.max(1, trimmed.length) };
  const fields = [...trimmed.matchAll(/\S+/g)];
  if (fields.length !== 5) {
    return {
      ...whole,
      message: `the cron expression "${trimmed}" has ${fields.length} field${fields.length === 1 ? '' : 's'}, not 5`,
      hint: 'write minute hour day-of-month month day-of-week, e.g. "0 6 * * *" (06:00 every day)',
    };
  }
  for (const [index, field] of fields.entries()) {
    const text = field[0];
    const at = { offset: start + (field.index ?? 0), length: text.length };
    const extension = /[LW?#]/i.exec(text.replace(/[a-z]{3}/gi, (name) => name.replace(/[lw]/gi, '_')));
    if (extension) {
      return {
        ...at,
        message: `"${extension[0]}" in the ${FIELDS[index]} field "${text}" is not understood by Temporal schedules`,
        hint: 'use numbers, names (mon, jan), `*`, ranges (1-5), lists (1,15) and steps (*/15)',
      };
    }
    const range = fieldRange(index);
    for (const number of text.matchAll(/\d+/g)) {
      const value = Number(number[0]);
      // A step (`*/15`) is a count, not a value of the field.
      const isStep = text[(number.index ?? 0) - 1] === '/';
      if (isStep ? value === 0 : value < range.min || value > range.max) {
        return {
          offset: at.offset + (number.index ?? 0),
          length: number[0].length,
          message: isStep
            ? `the step "/${number[0]}" in the ${FIELDS[index]} field is zero`
            : `${FIELDS[index]} ${number[0]} is out of range (${range.min}-${range.max})`,
          hint: `write a ${FIELDS[index]} from ${range.min} to ${range.max}, e.g. "0 6 * * *" runs at 06:00 every day`,
        };
      }
    }
  }
  try {
    new Cron(trimmed, { paused: true });
  } catch (error) {
    return {
      ...whole,
      message: `the cron expression "${trimmed}" is invalid: ${(error as Error).message.replace(/^CronPattern: /, '')}`,
      hint: 'write minute hour day-of-month month day-of-week, e.g. "0 6 * * *"',
    };
  }
  return undefined;
}

function fieldRange(index: number): { min: number; max: number } {
  return [
    { min: 0, max: 59 },
    { min: 0, max: 23 },
    { min: 1, max: 31 },
    { min: 1, max: 12 },
    { min: 0, max: 7 },
  ][index] as { min: number; max: number };
}

let zones: readonly string[] | undefined;

/**
 * Why a time zone name would not load on Temporal, or undefined when it would.
 * @example checkTimeZone('Mars/Olympus')?.message // 'unknown time zone "Mars/Olympus"'
 */
export function checkTimeZone(zone: string): ScheduleProblem | undefined {
  return remember(zoneAnswers, zone, uncachedCheckTimeZone);
}

function uncachedCheckTimeZone(zone: string): ScheduleProblem | undefined {
  const whole = { offset: 0, length: Math.max(1, zone.length) };
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    zones ??= Intl.supportedValuesOf('timeZone');
    return {
      ...whole,
      message: `unknown time zone "${zone}"`,
      hint:
        closestZone(zone, zones) ?? 'write an IANA name such as "Europe/Berlin", "America/New_York" or "UTC"',
    };
  }
  if (resolved !== zone && resolved.toLowerCase() === zone.toLowerCase()) {
    return {
      ...whole,
      message: `time zone "${zone}" is spelled "${resolved}" in the tz database`,
      hint: `write "${resolved}": Temporal looks zones up case-sensitively`,
    };
  }
  return undefined;
}

function closestZone(zone: string, known: readonly string[]): string | undefined {
  const city = zone.split('/').pop()?.toLowerCase() ?? '';
  const match = known.find((name) => name.split('/').pop()?.toLowerCase() === city);
  return match ? `did you mean "${match}"?` : undefined;
}
