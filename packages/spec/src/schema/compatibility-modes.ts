// The compatibility modes a contract may declare (the zod schema is in contract.ts; this file loads
// nothing, so the CLI can name the modes in its help without loading the schemas).
export const COMPATIBILITY_MODES = [
  'backward',
  'backward_transitive',
  'forward',
  'forward_transitive',
  'full',
  'full_transitive',
  'none',
] as const;
export type CompatibilityMode = (typeof COMPATIBILITY_MODES)[number];
