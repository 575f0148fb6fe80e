// The one renderer of errors: library errors (PipectlError) and the CLI's usage errors exit 2 with
// the fix; an error of neither kind is a bug and exits 70.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectIssuesError } from '@pipectl/project';
import { PipectlError } from '@pipectl/spec';
import { describe, expect, it } from 'vitest';
import { painter } from '../src/io/terminal.js';
import { INTERNAL_ERROR, renderError } from '../src/render/error.js';
import { UsageError } from '../src/usage-error.js';

const plain = painter(false);

describe('renderError', () => {
  it('prints a library error with its code, its place, and its fix; exit 2', () => {
    const error = new PipectlError('PIPE5101', 'source "orders": no file matches data/*.csv', {
      hint: 'check the path',
      place: { file: 'pipelines/shop.yaml', line: 12, col: 9 },
    });
    expect(renderError(error, plain)).toEqual({
      text: 'error: PIPE5101 source "orders": no file matches data/*.csv (at pipelines/shop.yaml:12:9)\n  = help: check the path\n',
      exitCode: 2,
    });
  });

  it("shows a project error's located issues with their code frame before the error line", () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipectl-render-'));
    try {
      writeFileSync(join(dir, 'pipectl.yaml'), 'name: shop\ntarget: staging\n');
      const issue = {
        code: 'PIPE1031',
        severity: 'error' as const,
        message: 'unknown target "staging"',
        file: 'pipectl.yaml',
        path: ['target'],
        span: { line: 2, col: 9, endLine: 2, endCol: 16, offset: 19 },
      };
      const error = new ProjectIssuesError(dir, [issue], 'target "staging" cannot be used', 'name a target');
      const { text, exitCode } = renderError(error, plain);
      expect(exitCode).toBe(2);
      expect(text).toContain('pipectl.yaml:2:9');
      expect(text).toContain('target: staging');
      expect(text.trimEnd().split('\n').slice(-2)).toEqual([
        'error: PIPE1031 target "staging" cannot be used',
        '  = help: name a target',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints a usage error without a code, with its hint when it has one; exit 2', () => {
    expect(renderError(new UsageError('unknown format "xml"', 'use one of: text, json'), plain)).toEqual({
      text: 'error: unknown format "xml"\n  = help: use one of: text, json\n',
      exitCode: 2,
    });
  });

  it('takes only PipectlErrors at their word: a plain Error with a catalog-looking code is a bug', () => {
    const coded = Object.assign(new Error('no run "x"'), { code: 'PIPE6004' });
    expect(renderError(coded, plain).exitCode).toBe(INTERNAL_ERROR);
  });

  it('reports anything else as a bug, exit 70, with the stack only when asked', () => {
    const bug = new TypeError('undefined is not a function');
    expect(renderError(bug, plain)).toEqual({
      text: 'internal error: undefined is not a function\n  run again with PIPECTL_DEBUG=1 for the stack trace, and report it with the command you ran\n',
      exitCode: INTERNAL_ERROR,
    });
    expect(renderError(bug, plain, true).text).toContain('TypeError: undefined is not a function\n    at ');
  });
});
