// Debian's Chromium for the browser test, driven by playwright-core. The browser is found, never
// downloaded (scripts/install-chromium.sh installs it), and launched headless with the flags that
// keep it from reaching for the network: this test talks to loopback addresses only.
import { accessSync, constants } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const INSTALL_CHROMIUM_COMMAND = 'bash scripts/install-chromium.sh';
export const CHROMIUM_ENV = 'PIPECTL_CHROMIUM';
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * The Chromium to drive: `PIPECTL_CHROMIUM`, else Debian's `/usr/bin/chromium`, where
 * scripts/install-chromium.sh puts it (never a `chromium` found on the PATH: a new user's machine
 * has only what the project installed). Throws, naming the install command, when there is none: a
 * missing browser fails the test instead of skipping it.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env[CHROMIUM_ENV];
  if (chosen !== undefined && chosen !== '') {
    if (isExecutable(chosen)) return chosen;
    throw new Error(
      `${CHROMIUM_ENV}=${chosen} is not an executable file: point it at a Chromium, or unset it and run \`${INSTALL_CHROMIUM_COMMAND}\`.`,
    );
  }
  if (isExecutable(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  throw new Error(
    `Chromium is not installed (looked for ${DEBIAN_CHROMIUM}): run \`${INSTALL_CHROMIUM_COMMAND}\` from the repository root, or set ${CHROMIUM_ENV}.`,
  );
}

/**
 * Launches Chromium headless. playwright-core gives each launch a fresh temporary profile and
 * deletes it on close (it refuses a `--user-data-dir` flag); the other flags silence background
 * networking, which on a closed network only produces refused connections.
 */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
