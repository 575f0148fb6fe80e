// Unit tests for findTemporalBinary: env override, repo-root lookup and the "not found" error.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TemporalBinaryNotFoundError } from '../src/dev-server/temporal-binary.js';
import { findTemporalBinary } from '../src/index.js';

describe('findTemporalBinary', () => {
  let repo: string;

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'pipectl-bin-'));
    writeFileSync(join(repo, 'pnpm-workspace.yaml'), 'packages: []\n');
    mkdirSync(join(repo, 'packages', 'runtime'), { recursive: true });
  });

  afterEach(() => {
    rmSync(repo, { recursive: true, force: true });
  });

  function installFakeBinary(): string {
    const bin = join(repo, '.tools', 'bin', 'temporal');
    mkdirSync(join(repo, '.tools', 'bin'), { recursive: true });
    writeFileSync(bin, '#!/bin/sh\n');
    chmodSync(bin, 0o755);
    return bin;
  }

  it('finds .tools/bin/temporal at the workspace root when walking up from a package folder', () => {
    const bin = installFakeBinary();
    expect(findTemporalBinary({ env: {}, cwd: join(repo, 'packages', 'runtime') })).toBe(bin);
  });

  it('prefers PIPECTL_TEMPORAL_BIN and resolves it to an absolute path', () => {
    const custom = join(repo, 'my-temporal');
    writeFileSync(custom, '#!/bin/sh\n');
    chmodSync(custom, 0o755);
    const found = findTemporalBinary({ env: { PIPECTL_TEMPORAL_BIN: 'my-temporal' }, cwd: repo });
    expect(found).toBe(custom);
  });

  it('throws a PIPE6001 error telling the user to run the install script when the binary is missing', () => {
    let caught: unknown;
    try {
      findTemporalBinary({ env: {}, cwd: join(repo, 'packages', 'runtime') });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TemporalBinaryNotFoundError);
    const error = caught as TemporalBinaryNotFoundError;
    expect(error.code).toBe('PIPE6001');
    expect(error.message).toContain('bash scripts/install-temporal.sh');
    expect(error.searched).toEqual([join(repo, '.tools', 'bin', 'temporal')]);
  });

  it('throws when PIPECTL_TEMPORAL_BIN points at a file that is not executable', () => {
    const custom = join(repo, 'not-executable');
    writeFileSync(custom, '');
    chmodSync(custom, 0o644);
    expect(() => findTemporalBinary({ env: { PIPECTL_TEMPORAL_BIN: custom }, cwd: repo })).toThrow(
      /PIPECTL_TEMPORAL_BIN is set to .*not-executable, which is not executable/,
    );
  });

  describe('outside the repository (pipectl installed from npm)', () => {
    let project: string;
    beforeEach(() => {
      project = mkdtempSync(join(tmpdir(), 'pipectl-project-'));
      writeFileSync(join(project, 'pipectl.yaml'), 'name: demo\n');
      mkdirSync(join(project, 'contracts'));
    });
    afterEach(() => rmSync(project, { recursive: true, force: true }));

    it("finds .tools/bin/temporal in the project's folder, from a folder inside it", () => {
      const bin = join(project, '.tools', 'bin', 'temporal');
      mkdirSync(join(project, '.tools', 'bin'), { recursive: true });
      writeFileSync(bin, '#!/bin/sh\n');
      chmodSync(bin, 0o755);
      expect(findTemporalBinary({ env: {}, cwd: join(project, 'contracts') })).toBe(bin);
    });

    it('says how to build it with Go into the project when it is missing', () => {
      const error = (() => {
        try {
          findTemporalBinary({ env: {}, cwd: project });
        } catch (caught) {
          return caught as TemporalBinaryNotFoundError;
        }
        throw new Error('findTemporalBinary found a binary in an empty project');
      })();
      expect(error.code).toBe('PIPE6001');
      expect(error.message).not.toContain('scripts/install-temporal.sh');
      expect(error.message).toContain(
        `GOBIN=${join(project, '.tools', 'bin')} CGO_ENABLED=0 go install github.com/temporalio/cli/cmd/temporal@v1.5.1`,
      );
      expect(error.message).toContain('PIPECTL_TEMPORAL_BIN');
    });
  });

  it('finds the binary of the repository these tests run in when no options are given', () => {
    expect(findTemporalBinary({ env: {} })).toMatch(/\/\.tools\/bin\/temporal$/);
  });
});
