// The SQL template language of steps, which is deliberately tiny: `{{ ref('name') }}` and
// `{{ source('name') }}` and nothing else. Scanning finds the calls; rendering replaces each with a
// quoted DuckDB relation and keeps a map from rendered offsets back to the author's text.

export type TemplateFunction = 'ref' | 'source';

export interface TemplateCall {
  readonly fn: TemplateFunction;
  /** The argument as written, without quotes. */
  readonly name: string;
  /** Offsets of `{{` and just after `}}` in the template text. */
  readonly start: number;
  readonly end: number;
  /** Offset of the argument's first character (inside the quotes). */
  readonly nameOffset: number;
}

export interface TemplateProblem {
  readonly message: string;
  readonly offset: number;
  readonly hint: string;
}

export interface ScannedTemplate {
  readonly calls: readonly TemplateCall[];
  readonly problems: readonly TemplateProblem[];
}

const CALL = /^(\s*)(ref|source)(\s*\(\s*)(?:'([^'\\]*)'|"([^"\\]*)")\s*\)\s*$/;
const HINT = "write {{ ref('step or dataset') }} or {{ source('name') }}";

/**
 * Finds every `{{ ... }}` in a step's SQL.
 * @example scanTemplate("select * from {{ ref('stg_orders') }}").calls[0].name // 'stg_orders'
 */
export function scanTemplate(sql: string): ScannedTemplate {
  const calls: TemplateCall[] = [];
  const problems: TemplateProblem[] = [];
  let from = 0;
  for (let start = sql.indexOf('{{', from); start !== -1; start = sql.indexOf('{{', from)) {
    const close = sql.indexOf('}}', start + 2);
    if (close === -1) {
      problems.push({ message: '"{{" is never closed with "}}"', offset: start, hint: HINT });
      break;
    }
    const inner = sql.slice(start + 2, close);
    const match = CALL.exec(inner);
    if (match) {
      const quoteOffset =
        start + 2 + (match[1] as string).length + (match[2] as string).length + (match[3] as string).length;
      calls.push({
        fn: match[2] as TemplateFunction,
        name: match[4] ?? match[5] ?? '',
        start,
        end: close + 2,
        nameOffset: quoteOffset + 1,
      });
    } else {
      const shown = inner.trim().length > 40 ? `${inner.trim().slice(0, 37)}...` : inner.trim();
      problems.push({
        message: `unsupported template expression "{{ ${shown} }}"`,
        offset: start,
        hint: /^\s*(ref|source)\b/.test(inner) ? "quote the name: {{ ref('name') }}" : HINT,
      });
    }
    from = close + 2;
  }
  return { calls, problems };
}

export interface RenderedSql {
  readonly text: string;
  /** Offset in `text` where each call's replacement starts, in call order. */
  readonly callOffsets: readonly number[];
  /** Maps an offset in the rendered text back to the template; inside a replacement, to its `{{`. */
  toTemplateOffset(renderedOffset: number): number;
  /** The call whose replacement covers a rendered offset, if one does. */
  callAt(renderedOffset: number): TemplateCall | undefined;
}

/** Replaces each call with its relation (`replacements[i]` for `calls[i]`). */
export function renderTemplate(
  sql: string,
  calls: readonly TemplateCall[],
  replacements: readonly string[],
): RenderedSql {
  let text = '';
  let cursor = 0;
  const callOffsets: number[] = [];
  calls.forEach((call, index) => {
    text += sql.slice(cursor, call.start);
    callOffsets.push(text.length);
    text += replacements[index] ?? '';
    cursor = call.end;
  });
  text += sql.slice(cursor);
  const toTemplateOffset = (renderedOffset: number): number => {
    let shift = 0;
    for (const [index, call] of calls.entries()) {
      const at = callOffsets[index] as number;
      const length = (replacements[index] ?? '').length;
      if (renderedOffset < at) break;
      if (renderedOffset < at + length) return call.start;
      shift += call.end - call.start - length;
    }
    return renderedOffset + shift;
  };
  const callAt = (renderedOffset: number): TemplateCall | undefined =>
    calls.find((_, index) => {
      const at = callOffsets[index] as number;
      return renderedOffset >= at && renderedOffset < at + (replacements[index] ?? '').length;
    });
  return { text, callOffsets, toTemplateOffset, callAt };
}

/** `"sales"."orders"`: the DuckDB relation of a dataset, quoted. */
export function relationOf(dataset: string): string {
  return dataset
    .split('.')
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join('.');
}
