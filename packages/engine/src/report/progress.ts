// Progress of long work, as events: the engine says what it is doing (a source landing, a step
// building, rows read and checked) through a sink its caller gives, and prints nothing. The CLI
// turns the events into a live line on a terminal or plain lines in a log.

/** What the engine is doing now, or just finished. `of` names a source or a step (`pipeline/step`). */
export type ProgressEvent =
  | { readonly kind: 'source-started'; readonly of: string; readonly dataset: string }
  | { readonly kind: 'step-started'; readonly of: string; readonly dataset: string }
  /** Rows read from a source, built by a step's SQL, or checked by a quality gate, once each is done. */
  | {
      readonly kind: 'rows';
      readonly of: string;
      readonly phase: 'read' | 'built' | 'checked';
      readonly rows: number;
      /** For `checked`: how many checks ran over them. */
      readonly checks?: number;
    }
  | {
      readonly kind: 'finished';
      readonly of: string;
      /** A source's `loaded`/`failed`, a step's status, or `skipped`. */
      readonly status: string;
      readonly ok: boolean;
      /** Why it failed or was skipped. */
      readonly reason?: string;
    };

export type ProgressSink = (event: ProgressEvent) => void;

/** Tells the sink, if any; a sink that throws never breaks the work it watches. */
export function tell(sink: ProgressSink | undefined, event: ProgressEvent): void {
  if (!sink) return;
  try {
    sink(event);
  } catch {
    // Progress is a courtesy: losing a line is better than failing a run.
  }
}
