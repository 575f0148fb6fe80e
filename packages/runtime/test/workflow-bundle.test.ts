// The prebuilt workflow bundle: reused while the workflow sources are unchanged, rebuilt (under a
// new name) when any of them, or a workspace package they import, changes.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import {
  prebundleWorkflows,
  WORKFLOW_PACKAGES,
  workflowSourcesHash,
  workflowsEntry,
} from '../src/worker/workflow-bundle.js';
import { BUNDLE_CACHE_DIR } from './global-setup.js';

describe('prebundleWorkflows', () => {
  it('reuses the bundle file of unchanged workflow sources', async () => {
    const bundle = await prebundleWorkflows({ cacheDir: BUNDLE_CACHE_DIR });

    expect(bundle).toEqual({ codePath: inject('workflowBundlePath'), built: false });
  });

  it('keys the bundle on the workflow sources, so any change bundles afresh', () => {
    const copy = mkdtempSync(join(tmpdir(), 'pipectl-workflows-'));
    try {
      cpSync(dirname(workflowsEntry()), copy, { recursive: true });
      const before = workflowSourcesHash(copy);
      writeFileSync(join(copy, 'approval-details.ts'), '// changed\n', { flag: 'a' });

      expect(workflowSourcesHash(copy)).not.toBe(before);
      expect(workflowSourcesHash(dirname(workflowsEntry()))).toMatch(/^[0-9a-f]{16}$/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('hashes every workspace package the workflow code imports (so a change to one bundles afresh)', () => {
    const dir = dirname(workflowsEntry());
    const imported = new Set(
      readdirSync(dir)
        .filter((name) => name.endsWith('.ts'))
        .flatMap((name) => [...readFileSync(join(dir, name), 'utf8').matchAll(/from '(@pipectl\/[^'/]+)/g)])
        .map((match) => match[1]),
    );

    expect([...imported].sort()).toEqual([...WORKFLOW_PACKAGES].sort());
  });
});
