// Copies of the runtime's fixture project: `fixtures/projects/shop` in a temporary directory, with
// overlays (folders holding only the files they replace) laid on top. No vitest here, so the
// history recorder and the worker child process can use it too.
import { randomInt, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECTS = fileURLToPath(new URL('../fixtures/projects/', import.meta.url));

export type Overlay =
  | 'shop-v2'
  | 'approval-fail'
  | 'approval-reject'
  | 'two-breaking'
  | 'lakehouse'
  | 'restore';

/** A copy of `fixtures/projects/shop` in a temporary directory; `remove()` deletes it. */
export function copyProject(...overlays: Overlay[]): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-runtime-'));
  cpSync(join(PROJECTS, 'shop'), dir, { recursive: true });
  for (const overlay of overlays) applyOverlay(dir, overlay);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Lays an overlay's files over a project copy (the next run sees the changed project). */
export function applyOverlay(dir: string, overlay: Overlay): void {
  cpSync(join(PROJECTS, overlay), dir, { recursive: true });
}

export function uniqueTaskQueue(name: string): string {
  return `${name}-${randomUUID()}`;
}

/** Replaces `from` by `to` in a project file (throws when `from` is not there). */
export function editFile(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
  writeFileSync(path, text.replace(from, to));
}

/**
 * A logical date no other test of this run uses: run ids derive from pipeline and date, and every
 * test file shares one dev server.
 */
export function uniqueDate(): string {
  return new Date(Date.UTC(2100, 0, 1) + randomInt(0, 300_000) * 86_400_000).toISOString().slice(0, 10);
}
