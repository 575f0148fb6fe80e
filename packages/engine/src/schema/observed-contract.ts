// The contract a build would publish: the declared contract with the types DuckDB actually stores.
// Where the declared type is stored the same way (varchar(64) as VARCHAR) the declared spelling is
// kept, so comparing with the previous publication shows real changes only. Columns the contract
// does not declare are added as nullable, unconstrained columns.
import type { Column, Contract } from '@pipectl/spec';
import type { ObservedColumn } from '../warehouse/describe-relation.js';
import { plainColumn } from './observe-schema.js';
import { storageType } from './storage-type.js';

/** The declared contract with the observed column types, in the output's column order. */
export function observedContract(contract: Contract, observed: readonly ObservedColumn[]): Contract {
  const declared = new Map(contract.columns.map((column) => [column.name, column]));
  const columns = observed.map((column): Column => {
    const known = declared.get(column.name);
    if (known === undefined) return plainColumn(column.name, storageType(column.type));
    return storageType(known.type) === storageType(column.type)
      ? known
      : { ...known, type: storageType(column.type) };
  });
  return { ...contract, columns };
}

/**
 * A Contract-shaped value from observed columns alone (no promises besides names and types), for
 * comparing two observed schemas with @pipectl/compat.
 */
export function schemaContract(
  dataset: string,
  observed: readonly ObservedColumn[],
  version = '0.0.0',
): Contract {
  return {
    apiVersion: 'pipectl/v1',
    kind: 'Contract',
    name: dataset,
    version,
    owner: 'unknown',
    compatibility: 'none',
    approvers: [],
    columns: observed.map((column) => plainColumn(column.name, storageType(column.type))),
    quality: [],
    except: [],
  };
}
