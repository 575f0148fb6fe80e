// A short fingerprint of a published schema: the columns' names, stored types and nullability, in
// order. Two publications with the same hash have the same physical shape.
import { createHash } from 'node:crypto';
import { type Contract, isNullable } from '@pipectl/spec';
import { storageType } from '../schema/storage-type.js';

/** `sha256:` and 64 hex characters. */
export function schemaHash(contract: Contract): string {
  const shape = contract.columns.map((column) => [column.name, storageType(column.type), isNullable(column)]);
  return `sha256:${createHash('sha256').update(JSON.stringify(shape)).digest('hex')}`;
}
