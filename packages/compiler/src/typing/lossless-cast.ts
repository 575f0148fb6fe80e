// Whether every value of one type survives a cast to another unchanged: what a type mismatch's
// message says, so the author knows whether `CAST(... AS <declared>)` is safe or can fail or round.
// Widening only: integers into wider integers or decimals with room, decimals into decimals with at
// least as many integer and fraction digits, float into double, date into timestamp.
import type { DataType, PrimitiveTypeName } from '@pipectl/spec';

/** Signed integer widths in decimal digits, and unsigned ones. */
const INTEGER_DIGITS: Partial<Record<PrimitiveTypeName, { digits: number; signed: boolean; rank: number }>> =
  {
    tinyint: { digits: 3, signed: true, rank: 1 },
    smallint: { digits: 5, signed: true, rank: 2 },
    integer: { digits: 10, signed: true, rank: 3 },
    bigint: { digits: 19, signed: true, rank: 4 },
    hugeint: { digits: 39, signed: true, rank: 5 },
    utinyint: { digits: 3, signed: false, rank: 1 },
    usmallint: { digits: 5, signed: false, rank: 2 },
    uinteger: { digits: 10, signed: false, rank: 3 },
    ubigint: { digits: 20, signed: false, rank: 4 },
    uhugeint: { digits: 39, signed: false, rank: 5 },
  };

const WIDER: Partial<Record<PrimitiveTypeName, readonly PrimitiveTypeName[]>> = {
  float: ['double'],
  date: ['timestamp', 'timestamp_ns'],
  timestamp_s: ['timestamp_ms', 'timestamp', 'timestamp_ns'],
  timestamp_ms: ['timestamp', 'timestamp_ns'],
};

/**
 * Whether casting any value of `from` to `to` keeps it exactly.
 * @example losslessCast(integer, bigint) // true; losslessCast(bigint, integer) // false
 */
export function losslessCast(from: DataType, to: DataType): boolean {
  if (from.kind === 'varchar') return to.kind === 'varchar' && to.length === undefined;
  if (from.kind === 'decimal') {
    return (
      to.kind === 'decimal' &&
      to.scale >= from.scale &&
      to.precision - to.scale >= from.precision - from.scale
    );
  }
  if (from.kind === 'list' && to.kind === 'list') return losslessCast(from.element, to.element);
  if (from.kind !== 'primitive') return false;
  if (to.kind === 'varchar') return to.length === undefined;
  const source = INTEGER_DIGITS[from.name];
  if (source) {
    if (to.kind === 'decimal') return to.precision - to.scale >= source.digits;
    if (to.kind !== 'primitive') return false;
    const target = INTEGER_DIGITS[to.name];
    if (target)
      return source.signed === target.signed
        ? target.rank >= source.rank
        : !source.signed && target.rank > source.rank;
    // Doubles hold integers exactly up to 2^53; floats up to 2^24.
    if (to.name === 'double') return source.rank <= 3;
    if (to.name === 'float') return source.rank <= 2;
    return false;
  }
  return to.kind === 'primitive' && (WIDER[from.name]?.includes(to.name) ?? false);
}
