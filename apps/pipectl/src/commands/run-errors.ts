// The run commands' catch blocks call this; it only rethrows. Every library error is a PipectlError
// with its code and fix, rendered in one place (render/error.ts) by main. The call sites go when
// the commands move onto the library façade (issue 17 part 2).
export async function asUsageError(error: unknown): Promise<never> {
  throw error;
}
