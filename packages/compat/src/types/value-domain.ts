// The values a scalar DuckDB type can hold, as a small description that answers one question:
// does type A hold every value of type B exactly? Widening and narrowing are defined from it, so
// the lattice (tinyint < smallint < ..., float < double, decimal digits, timestamp
// precisions) follows from the values instead of from a hand-written list of pairs.
import type { DataType, PrimitiveTypeName } from '@pipectl/spec';

export type Domain =
  /** Whole numbers between min and max. */
  | { readonly family: 'integer'; readonly min: bigint; readonly max: bigint }
  /** decimal(p,s): `p - s` integer digits and `s` fractional digits. */
  | { readonly family: 'decimal'; readonly integerDigits: number; readonly scale: number }
  /**
   * IEEE binary floating point. `exactIntegerBits`: integers up to 2^bits are exact.
   * `decimalDigits`: decimals with that many significant digits survive a round trip.
   */
  | { readonly family: 'binary'; readonly exactIntegerBits: number; readonly decimalDigits: number }
  /** Text; `json` only holds valid JSON text. */
  | { readonly family: 'text'; readonly json: boolean }
  /** Timestamps without time zone; a finer precision holds every coarser value. */
  | { readonly family: 'timestamp'; readonly precision: number }
  /** Types that hold only their own values: boolean, date, uuid, timestamptz, ... */
  | { readonly family: 'own'; readonly name: string };

function integerRange(bits: number, signed: boolean): Domain {
  const max = signed ? 2n ** BigInt(bits - 1) - 1n : 2n ** BigInt(bits) - 1n;
  const min = signed ? -(2n ** BigInt(bits - 1)) : 0n;
  return { family: 'integer', min, max };
}

const PRIMITIVE_DOMAINS: Partial<Readonly<Record<PrimitiveTypeName, Domain>>> = {
  tinyint: integerRange(8, true),
  smallint: integerRange(16, true),
  integer: integerRange(32, true),
  bigint: integerRange(64, true),
  hugeint: integerRange(128, true),
  utinyint: integerRange(8, false),
  usmallint: integerRange(16, false),
  uinteger: integerRange(32, false),
  ubigint: integerRange(64, false),
  uhugeint: integerRange(128, false),
  // Round-trip digits: FLT_DIG and DBL_DIG.
  float: { family: 'binary', exactIntegerBits: 24, decimalDigits: 6 },
  double: { family: 'binary', exactIntegerBits: 53, decimalDigits: 15 },
  json: { family: 'text', json: true },
  timestamp_s: { family: 'timestamp', precision: 0 },
  timestamp_ms: { family: 'timestamp', precision: 3 },
  timestamp: { family: 'timestamp', precision: 6 },
  timestamp_ns: { family: 'timestamp', precision: 9 },
};

/** The domain of a scalar type; undefined for nested types (list, array, struct, map). */
export function domainOf(type: DataType): Domain | undefined {
  switch (type.kind) {
    case 'primitive':
      return PRIMITIVE_DOMAINS[type.name] ?? { family: 'own', name: type.name };
    case 'decimal':
      return { family: 'decimal', integerDigits: type.precision - type.scale, scale: type.scale };
    case 'varchar':
      // DuckDB accepts varchar(n) and forgets n: it stores VARCHAR and never enforces the length,
      // so the length promises nothing and is not judged (`maxLength` is the checked promise).
      return { family: 'text', json: false };
    default:
      return undefined;
  }
}

/** True when every value of `inner` is exactly a value of `outer`. */
export function holdsAll(outer: Domain, inner: Domain): boolean {
  switch (inner.family) {
    case 'integer': {
      // biome-ignore lint/complexity/useMathMinMax: Math.max does not take bigints
      const magnitude = inner.max > -inner.min ? inner.max : -inner.min;
      if (outer.family === 'integer') return outer.min <= inner.min && inner.max <= outer.max;
      if (outer.family === 'decimal') return magnitude <= 10n ** BigInt(outer.integerDigits) - 1n;
      if (outer.family === 'binary') return magnitude <= 2n ** BigInt(outer.exactIntegerBits);
      return false;
    }
    case 'decimal': {
      if (outer.family === 'decimal')
        return inner.integerDigits <= outer.integerDigits && inner.scale <= outer.scale;
      if (outer.family === 'integer') {
        const largest = 10n ** BigInt(inner.integerDigits) - 1n;
        return inner.scale === 0 && largest <= outer.max && -largest >= outer.min;
      }
      if (outer.family === 'binary') return inner.integerDigits + inner.scale <= outer.decimalDigits;
      return false;
    }
    case 'binary':
      return outer.family === 'binary' && inner.exactIntegerBits <= outer.exactIntegerBits;
    case 'text':
      if (outer.family !== 'text') return false;
      return !outer.json || inner.json;
    case 'timestamp':
      return outer.family === 'timestamp' && inner.precision <= outer.precision;
    case 'own':
      return outer.family === 'own' && outer.name === inner.name;
  }
}
