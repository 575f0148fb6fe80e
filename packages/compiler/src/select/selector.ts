// Graph selectors, in the grammar dbt users know: `+mart.orders` (and everything upstream),
// `stg.orders+` (and everything downstream), `2+x` / `x+1` (so many hops), `@x` (x, what is built
// from it, and everything those need), `tag:`, `owner:`, `path:`, `pipeline:`, `dataset:`, globs
// with `*`. Terms separated by spaces are a union; atoms joined by commas an intersection.
// Parsing is pure and positions every mistake; evaluation is in select-datasets.ts.
import { PipectlError } from '@pipectl/spec';

export type SelectorMethod = 'dataset' | 'tag' | 'owner' | 'path' | 'pipeline';

export const SELECTOR_METHODS: readonly SelectorMethod[] = ['dataset', 'tag', 'owner', 'path', 'pipeline'];

/** How far a graph operator reaches: a number of hops, or the whole closure. */
export type Reach = number | 'all';

export interface SelectorAtom {
  readonly method: SelectorMethod;
  /** The value after `method:`, or the dataset name (a glob when it holds `*`). */
  readonly value: string;
  /** `+x` / `2+x`: ancestors to include. */
  readonly parents?: Reach;
  /** `x+` / `x+2`: descendants to include. */
  readonly children?: Reach;
  /** `@x`: x, its descendants, and every ancestor of those. */
  readonly at?: true;
  /** The atom as written, for messages. */
  readonly text: string;
}

/** A union of intersections: `a,b c` is (a ∩ b) ∪ c. */
export type SelectorExpression = readonly (readonly SelectorAtom[])[];

/** PIPE1050: a selector that does not parse; `offset` points at the mistake. */
export class SelectorSyntaxError extends PipectlError {
  constructor(
    /** The whole selector as given. */
    readonly selector: string,
    /** Offset of the mistake in `selector`. */
    readonly offset: number,
    message: string,
    hint: string,
  ) {
    super('PIPE1050', message, { hint });
  }
}

const ATOM = /^(@)?(?:(\d*)\+)?([^+]+?)(?:\+(\d*))?$/;

/**
 * @example parseSelector('+mart.daily_revenue tag:pii,owner:data-eng')
 * // [[{ method: 'dataset', value: 'mart.daily_revenue', parents: 'all', ... }],
 * //  [{ method: 'tag', value: 'pii', ... }, { method: 'owner', value: 'data-eng', ... }]]
 */
export function parseSelector(selector: string): SelectorExpression {
  const terms: SelectorAtom[][] = [];
  for (const term of tokens(selector, /\s+/)) {
    const atoms: SelectorAtom[] = [];
    for (const atom of tokens(term.text, /,/)) {
      atoms.push(parseAtom(selector, atom.text, term.offset + atom.offset));
    }
    terms.push(atoms);
  }
  if (terms.length === 0) {
    throw new SelectorSyntaxError(
      selector,
      0,
      'the selector is empty',
      'name a dataset (mart.orders), a method (tag:finance) or a graph operator (+mart.orders)',
    );
  }
  return terms;
}

function parseAtom(selector: string, text: string, offset: number): SelectorAtom {
  const match = ATOM.exec(text);
  if (!match) {
    throw new SelectorSyntaxError(
      selector,
      offset,
      `cannot read "${text}" as a selector`,
      'write [@][N]+name[+N]: "+" before a name adds what it is built from, after it what is built from it; "@" cannot be combined with a leading "+"',
    );
  }
  const [, at, before, body = '', after] = match;
  if (at && before !== undefined) {
    throw new SelectorSyntaxError(
      selector,
      offset,
      `"${text}" combines "@" with a leading "+"`,
      '"@x" already includes everything x needs; write "@x" or "+x+"',
    );
  }
  const colon = body.indexOf(':');
  let method: SelectorMethod = 'dataset';
  let value = body;
  if (colon >= 0) {
    const name = body.slice(0, colon);
    if (!(SELECTOR_METHODS as readonly string[]).includes(name)) {
      throw new SelectorSyntaxError(
        selector,
        offset + (at ? 1 : 0) + (before === undefined ? 0 : before.length + 1),
        `unknown selector method "${name}:"`,
        `methods: ${SELECTOR_METHODS.map((m) => `${m}:`).join(', ')}; a plain name selects a dataset`,
      );
    }
    method = name as SelectorMethod;
    value = body.slice(colon + 1);
  }
  if (value.length === 0) {
    throw new SelectorSyntaxError(
      selector,
      offset + text.length,
      `"${text}" has no value`,
      method === 'dataset' ? 'name a dataset, e.g. mart.orders' : `write ${method}:<value>`,
    );
  }
  return {
    method,
    value,
    text,
    ...(at ? { at: true as const } : {}),
    ...(before === undefined ? {} : { parents: reach(before) }),
    ...(after === undefined ? {} : { children: reach(after) }),
  };
}

function reach(digits: string): Reach {
  return digits === '' ? 'all' : Number(digits);
}

function tokens(text: string, separator: RegExp): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  const global = new RegExp(separator.source, 'g');
  let start = 0;
  for (const match of text.matchAll(global)) {
    if (match.index > start) out.push({ text: text.slice(start, match.index), offset: start });
    start = match.index + match[0].length;
  }
  if (start < text.length) out.push({ text: text.slice(start), offset: start });
  return out;
}
