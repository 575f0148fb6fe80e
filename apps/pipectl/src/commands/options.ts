// Small parsers for option values shared by commands, each failing with a usage error.
import { UsageError } from '../usage-error.js';

export function parseFormat<T extends string>(value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`unknown format "${value}"`, `use one of: ${allowed.join(', ')}`);
}

export function parsePositiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${name} must be a positive whole number, got "${value}"`);
  return n;
}
