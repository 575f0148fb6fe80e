// The contract between `extractSource` and the reader of each source kind: a context in (the
// transaction, the target, the contract), an outcome out. Each kind is one module; the façade
// picks it from a table and never branches on `kind` itself.
import type { Contract, Source, SourceKind } from '@pipectl/spec';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { ExtractCursor, ExtractMode, QuarantineSample, SourceDrift } from './extract-report.js';
import type { TargetColumn } from './target-table.js';

export interface ExtractContext {
  /** The warehouse, inside the extraction's transaction. */
  readonly warehouse: Warehouse;
  readonly projectDir: string;
  readonly pipeline: string;
  readonly contract: Contract;
  readonly columns: readonly TargetColumn[];
  /** The quoted target relation, already created. */
  readonly relation: string;
  readonly mode: ExtractMode;
  readonly runId: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface ExtractOutcome {
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rowsQuarantined: number;
  readonly quarantineSamples: readonly QuarantineSample[];
  readonly drift: readonly SourceDrift[];
  readonly files?: readonly string[];
  readonly server?: string;
  readonly cursor?: ExtractCursor;
  readonly batches?: number;
  /** Time spent streaming the source into the warehouse. */
  readonly readMs: number;
}

export type SourceOf<K extends SourceKind> = Extract<Source, { kind: K }>;

export interface Extractor<K extends SourceKind> {
  /** Where rows go when the caller does not say: replace the target, or append to it. */
  defaultMode(source: SourceOf<K>): ExtractMode;
  extract(source: SourceOf<K>, context: ExtractContext): Promise<ExtractOutcome>;
}
