// Small text helpers for change messages: values quoted the way users wrote them.

/** `"paid"`, `12`, `true`, `["a", "b"]`, `nothing`. */
export function quote(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `[${value.map(quote).join(', ')}]`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
export function quoteList(values: readonly unknown[]): string {
  const quoted = values.map(quote);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}
