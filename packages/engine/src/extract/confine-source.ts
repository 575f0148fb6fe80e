// Confined sources at run time: a file source reads only inside the folders its warehouse may
// read (the project's declared data folders), even when validation was skipped. The same rule as
// `pipectl validate` (PIPE2011), refused here as PIPE5111 before a byte is read.
import { realpathSync } from 'node:fs';
import { confineSourcePath } from '@pipectl/spec';
import type { Warehouse } from '../warehouse/warehouse.js';
import { ExtractError } from './extract-errors.js';

const HINT =
  'Keep source files inside the project directory, or list their folder under `sandbox.readable` in pipectl.yaml; `pipectl validate` names the path.';

/** Throws PIPE5111 when `pattern` (relative to `projectDir`) leaves what `warehouse` may read. */
export function confineSourcePattern(
  warehouse: Warehouse,
  projectDir: string,
  pattern: string,
  source: string,
): void {
  const verdict = confineSourcePath(pattern, projectDir, warehouse.readable);
  if (verdict.ok) return;
  throw new ExtractError(
    'PIPE5111',
    `source "${source}": refused to read "${pattern}": ${verdict.reason.replace('the project directory', 'the folders this project may read')}`,
    { source, file: pattern },
    { hint: HINT, retryable: false },
  );
}

/** Throws PIPE5111 when the real path of `file` (after symlinks) is outside what `warehouse` may read. */
export function confineSourceFile(warehouse: Warehouse, file: string, shown: string, source: string): void {
  const verdict = confineSourcePath(realpathSync(file), '/', warehouse.readable);
  if (verdict.ok) return;
  throw new ExtractError(
    'PIPE5111',
    `source "${source}": refused to read "${shown}": ${verdict.reason.replace('the project directory', 'the folders this project may read')}`,
    { source, file: shown },
    { hint: HINT, retryable: false },
  );
}
