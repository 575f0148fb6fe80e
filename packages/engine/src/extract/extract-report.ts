// What one extraction did, as plain JSON-safe data (numbers, strings, no bigint): returned by
// `extractSource`, carried in Temporal payloads, rendered by the CLI.
import type { Change } from '@pipectl/compat';
import type { SourceKind } from '@pipectl/spec';

/** A difference between the observed source and its contract, named by a compatibility rule id. */
export type SourceDrift = Change & {
  /** For file sources: the files that show this difference (project-relative). */
  readonly files?: readonly string[];
};

export interface QuarantineSample {
  /** Where the record came from: `data/c.ndjson:12`, `data/c.json[3]`. */
  readonly position: string;
  readonly reason: string;
}

export interface ExtractCursor {
  readonly column: string;
  /** The lower bound this run read above (PostgreSQL's text form), null on a first run without `initial`. */
  readonly before: string | null;
  /** The largest cursor value landed, or `before` when no new rows arrived. */
  readonly after: string | null;
}

export interface ExtractTimings {
  readonly startedAt: string;
  /** Streaming the source into the warehouse. */
  readonly readMs: number;
  /** Converting to the contract's types, quarantining, writing the target and the state. */
  readonly writeMs: number;
  readonly totalMs: number;
}

export interface ExtractReport {
  readonly pipeline: string;
  readonly source: string;
  readonly kind: SourceKind;
  /** The source's contract: the dataset the rows belong to. */
  readonly dataset: string;
  /** The relation written, e.g. `raw.orders` or a staging relation. */
  readonly target: string;
  /** `replace`: the target holds exactly this extraction; `append`: rows were added to it. */
  readonly mode: ExtractMode;
  readonly runId: string;
  /** Files read (project-relative), for file sources. */
  readonly files?: readonly string[];
  /** `host:port/database`, for PostgreSQL sources. */
  readonly server?: string;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rowsQuarantined: number;
  /** The first quarantined records (at most 5), in source order. */
  readonly quarantineSamples: readonly QuarantineSample[];
  readonly drift: readonly SourceDrift[];
  /** Incremental PostgreSQL sources only. */
  readonly cursor?: ExtractCursor;
  /** PostgreSQL sources: round trips of `batchSize` rows. */
  readonly batches?: number;
  readonly timings: ExtractTimings;
}

export type ExtractMode = 'replace' | 'append';
