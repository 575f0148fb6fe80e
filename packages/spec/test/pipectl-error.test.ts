// The one error model: what every library error carries, and how it is recognised across copies.
import { describe, expect, it } from 'vitest';
import { ISSUE_CODES, PipectlError } from '../src/index.js';
import { isPipectlError } from '../src/issues/pipectl-error.js';

class SourceGone extends PipectlError {
  constructor(readonly source: string) {
    super('PIPE5101', `source "${source}": no file matches`, {
      retryable: true,
      place: { file: 'p.yaml', line: 3, col: 5 },
    });
  }
}

describe('PipectlError', () => {
  it("carries a catalog code, the catalog's fix unless given one, retryable, and the subclass's name", () => {
    const error = new SourceGone('orders');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SourceGone');
    expect(error.code).toBe('PIPE5101');
    expect(error.hint).toBe(ISSUE_CODES.PIPE5101.help);
    expect(error.retryable).toBe(true);
    expect(new PipectlError('PIPE6004', 'no run', { hint: 'list runs' }).hint).toBe('list runs');
    expect(new PipectlError('PIPE6004', 'no run').retryable).toBe(false);
  });

  it('becomes an issue at its file, line and column', () => {
    expect(new SourceGone('orders').toIssue()).toMatchObject({
      code: 'PIPE5101',
      severity: 'error',
      file: 'p.yaml',
      span: { line: 3, col: 5 },
      hint: ISSUE_CODES.PIPE5101.help,
    });
  });

  it('is recognised when thrown by another copy of the package, and only then', () => {
    const copy = Object.assign(new Error('x'), { code: 'PIPE6004', hint: 'h', retryable: false });
    expect(isPipectlError(copy)).toBe(true);
    expect(
      isPipectlError(Object.assign(new Error('x'), { code: 'ENOENT', hint: 'h', retryable: false })),
    ).toBe(false);
    expect(isPipectlError(Object.assign(new Error('x'), { code: 'PIPE6004' }))).toBe(false);
    expect(isPipectlError('PIPE6004')).toBe(false);
  });
});
