// The prebuilt workflow bundle: reused while the workflow sources are unchanged, rebuilt (under a
// new name) when any of them changes.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { prebundleWorkflows, workflowSourcesHash, workflowsEntry } from '../src/worker/workflow-bundle.js';
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
});
