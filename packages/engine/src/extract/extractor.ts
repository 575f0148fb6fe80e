// The contract between staging (`stageSource`) and the reader of each source kind: a context in
// (the connection, the staging relation, the contract), an outcome out. A reader writes only the
// connection's temporary storage (and quarantines rejected records); what it staged reaches the
// target, with the cursor it reports, only when the caller commits. Each kind is one module; the
// façade picks it from a table and never branches on `kind` itself.
import type { Contract, Source, SourceKind } from '@pipectl/spec';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { ExtractCursor, ExtractMode, QuarantineSample, SourceDrift } from './extract-report.js';
import type { SourceFile } from './source-files.js';
import type { TargetColumn } from './target-table.js';

export interface ExtractContext {
  /** The warehouse's connection: the staging relation is in its temporary storage. */
  readonly warehouse: Warehouse;
  readonly projectDir: string;
  readonly pipeline: string;
  readonly contract: Contract;
  readonly columns: readonly TargetColumn[];
  /**
   * The quoted staging relation, `temp.main."…"`: already created as an empty table with the
   * contract's columns, unless `inPlace` is set and the reader `readsInPlace`, in which case the
   * reader creates it as a temporary view over the source.
   */
  readonly relation: string;
  /**
   * The quoted staging quarantine (`temp.main."…"`, shaped like `_pipectl.quarantine`): where a
   * reader puts the records it rejects; they reach `_pipectl.quarantine` with the commit.
   */
  readonly quarantine: string;
  /** The caller's checks never delete staged rows, so a view over the source is enough. */
  readonly inPlace: boolean;
  /** How the target takes the staged rows at commit (replaced, or appended to). */
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
  /** The files a staging view reads in place: the commit refuses them if they changed since. */
  readonly readInPlace?: readonly SourceFile[];
  /** With `readInPlace`: the SELECT the staging view is, for a target that may stay a view. */
  readonly inPlaceSelect?: string;
  readonly server?: string;
  readonly cursor?: ExtractCursor;
  /** The cursor value to record when the staged rows are committed (absent: leave it as it is). */
  readonly commitCursor?: string;
  readonly batches?: number;
  /** Time spent streaming the source into the warehouse. */
  readonly readMs: number;
}

export type SourceOf<K extends SourceKind> = Extract<Source, { kind: K }>;

export interface Extractor<K extends SourceKind> {
  /** Where rows go when the caller does not say: replace the target, or append to it. */
  defaultMode(source: SourceOf<K>): ExtractMode;
  /** When `context.inPlace`, the reader creates the staging relation as a view over the source. */
  readonly readsInPlace?: boolean;
  extract(source: SourceOf<K>, context: ExtractContext): Promise<ExtractOutcome>;
}
