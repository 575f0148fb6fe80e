// One ordering for every sorted list the compiler returns: by UTF-16 code units, the same on every
// machine and locale (localeCompare is not), so plans and reports are byte-for-byte stable.

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
