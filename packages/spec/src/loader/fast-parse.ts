// The fast first reading of a YAML file: plain data, no nodes and no positions. Most files of a
// project are valid, and for them only the data is needed; building the `yaml` package's
// position-keeping document for each took most of `validate` on a large project. js-yaml reads
// ~10× faster. Its answer is used only when it is certain to equal what the `yaml` package would
// read; anything else (a syntax error, a duplicate key, an alias, a tag, a directive, a key that
// is not a string, several documents) returns undefined and the caller reads the file the slow,
// exact way, which also gives every error its place. A property test holds the two readers equal.
import { defineMappingTag, defineScalarTag, load, NOT_RESOLVED, Schema, seqTag } from 'js-yaml';

// YAML 1.2's core schema as the `yaml` package resolves plain scalars (its `schema/core` tags, in
// its order), so a plain `1.0`, `0o17`, `~` or `TRUE` means the same thing to both readers.
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

// An explicit tag (`!!str 1`) is left to the exact reader: the two resolve tags differently.
const str = defineScalarTag('tag:yaml.org,2002:str', {
  resolve: (source, isExplicit) => (isExplicit ? NOT_RESOLVED : source),
  identify: (data) => typeof data === 'string',
});
const nullTag = defineScalarTag('tag:yaml.org,2002:null', {
  implicit: true,
  resolve: (source, isExplicit) => (!isExplicit && NULL.test(source) ? null : NOT_RESOLVED),
  identify: (data) => data === null,
});
const boolTag = defineScalarTag('tag:yaml.org,2002:bool', {
  implicit: true,
  resolve: (source, isExplicit) =>
    !isExplicit && BOOL.test(source) ? source[0] === 't' || source[0] === 'T' : NOT_RESOLVED,
  identify: (data) => typeof data === 'boolean',
});
const intTag = defineScalarTag('tag:yaml.org,2002:int', {
  implicit: true,
  resolve: (source, isExplicit) => {
    if (isExplicit) return NOT_RESOLVED;
    if (INT_OCT.test(source)) return Number.parseInt(source.substring(2), 8);
    if (INT.test(source)) return Number.parseInt(source, 10);
    if (INT_HEX.test(source)) return Number.parseInt(source.substring(2), 16);
    return NOT_RESOLVED;
  },
  identify: (data) => Number.isInteger(data),
});
const floatTag = defineScalarTag('tag:yaml.org,2002:float', {
  implicit: true,
  resolve: (source, isExplicit) => {
    if (isExplicit) return NOT_RESOLVED;
    if (FLOAT_NAN.test(source)) {
      if (source.slice(-3).toLowerCase() === 'nan') return Number.NaN;
      return source[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    }
    if (FLOAT_EXP.test(source) || FLOAT.test(source)) return Number.parseFloat(source);
    return NOT_RESOLVED;
  },
  identify: (data) => typeof data === 'number',
});

const OWN = Object.prototype.hasOwnProperty;
// Only string keys: the two readers turn `~:`, `1:` or `[a, b]:` into different property names.
const stringKeyMap = defineMappingTag<Record<string, unknown>>('tag:yaml.org,2002:map', {
  create: () => ({}),
  addPair: (map, key, value) => {
    if (typeof key !== 'string' || key === '__proto__') return 'not a plain string key';
    map[key] = value;
    return '';
  },
  has: (map, key) => typeof key === 'string' && OWN.call(map, key),
  keys: (map) => Object.keys(map),
  get: (map, key) => (typeof key === 'string' && OWN.call(map, key) ? map[key] : null),
  identify: (data) => data !== null && typeof data === 'object' && !Array.isArray(data),
});

const SCHEMA = new Schema([str, seqTag, stringKeyMap, nullTag, boolTag, intTag, floatTag]);

/** A `%YAML` or `%TAG` directive changes how the rest is read: left to the exact reader. */
const DIRECTIVE = /^%/m;
/** A tab in a line's indentation: js-yaml lets some through that YAML (and `yaml`) refuses. */
const TAB_INDENT = /^[ \t?:-]*\t/m;

/**
 * The data of a one-document YAML text, or undefined when the exact reader must decide (see the
 * header). Never throws.
 * @example fastParse('a: 1').value // { a: 1 }
 */
export function fastParse(text: string): { readonly value: unknown } | undefined {
  if (DIRECTIVE.test(text) || TAB_INDENT.test(text)) return undefined;
  let value: unknown;
  try {
    value = load(text, { schema: SCHEMA, maxAliases: 0 });
  } catch {
    return undefined;
  }
  // An empty document (or one holding only `---`) has its own messages in the exact reader.
  if (value === null || value === undefined) return undefined;
  return { value };
}
