// Reports travel as Temporal payloads and CLI JSON: every value in them is plain JSON (no bigint,
// no Date, no binary), and anything that comes from user data (samples) is size-capped.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonRow = { [key: string]: JsonValue };

export interface JsonLimits {
  /** Longest string kept; longer ones end in `…(+N chars)`. */
  readonly maxString: number;
  /** Most items kept of a list or fields of an object. */
  readonly maxItems: number;
  /** Deepest nesting kept. */
  readonly maxDepth: number;
}

export const SAMPLE_LIMITS: JsonLimits = { maxString: 200, maxItems: 50, maxDepth: 4 };

/**
 * A JSON-safe copy of `value`: bigint becomes a number when exact (a string otherwise), Date an
 * ISO string, bytes a hex string, non-finite numbers strings; long strings and lists are cut.
 * @example toJsonSafe({ n: 12n, at: new Date(0) }) // { n: 12, at: '1970-01-01T00:00:00.000Z' }
 */
export function toJsonSafe(value: unknown, limits: JsonLimits = SAMPLE_LIMITS, depth = 0): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case 'string':
      return capString(value, limits.maxString);
    case 'object':
      break;
    default:
      return capString(String(value), limits.maxString);
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return capString(Buffer.from(value).toString('hex'), limits.maxString);
  if (depth >= limits.maxDepth) return '…';
  if (Array.isArray(value)) {
    const items = value.slice(0, limits.maxItems).map((item) => toJsonSafe(item, limits, depth + 1));
    if (value.length > limits.maxItems) items.push(`…(+${value.length - limits.maxItems} items)`);
    return items;
  }
  if (value instanceof Map) return toJsonSafe(Object.fromEntries(value), limits, depth);
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const out: { [key: string]: JsonValue } = {};
  for (const [key, item] of entries.slice(0, limits.maxItems)) out[key] = toJsonSafe(item, limits, depth + 1);
  if (entries.length > limits.maxItems) out['…'] = `+${entries.length - limits.maxItems} fields`;
  return out;
}

/** `text` cut to `max` characters, saying how much was cut. */
export function capString(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(+${text.length - max} chars)`;
}

/** A count from DuckDB (bigint, number or numeric string) as a number. */
export function toCount(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return 0;
}
