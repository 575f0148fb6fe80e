// Which Chromium the browser test drives, and what a missing one says: the test fails, naming the
// command that installs Debian's package (it never downloads a browser, and never skips).
import { describe, expect, test } from 'vitest';
import { findChromium } from './support/chromium.js';

describe('findChromium', () => {
  test('takes PIPECTL_CHROMIUM when it names an executable', () => {
    expect(findChromium({ PIPECTL_CHROMIUM: process.execPath })).toBe(process.execPath);
  });

  test('fails with the install command when PIPECTL_CHROMIUM names nothing', () => {
    expect(() =>
      findChromium({ PIPECTL_CHROMIUM: '/nonexistent/chromium' }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[Error: PIPECTL_CHROMIUM=/nonexistent/chromium is not an executable file: point it at a Chromium, or unset it and run \`bash scripts/install-chromium.sh\`.]`,
    );
  });
});
