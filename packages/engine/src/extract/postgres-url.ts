// The connection URL of a PostgreSQL source: `${VAR}` filled from the injected environment (so
// secrets stay out of the repository), and a password-free description of the server for
// messages and reports.
import { SourceConfigError } from './extract-errors.js';

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The URL with every `${VAR}` replaced; throws SourceConfigError naming the variables unset. */
export function expandUrl(
  url: string,
  env: Readonly<Record<string, string | undefined>>,
  source: string,
): string {
  const missing = [...url.matchAll(VARIABLE)]
    .map((match) => match[1] as string)
    .filter((name) => env[name] === undefined || env[name] === '');
  if (missing.length > 0) {
    const names = [...new Set(missing)].map((name) => `\${${name}}`).join(', ');
    throw new SourceConfigError(
      'PIPE5109',
      `source "${source}": the url reads ${names}, which ${missing.length === 1 ? 'is' : 'are'} not set in the environment`,
      { source },
      {
        hint: `Set ${[...new Set(missing)].join(', ')} in the environment of the process running the pipeline.`,
      },
    );
  }
  return url.replace(VARIABLE, (_, name: string) => env[name] as string);
}

/** `host:port/database`, never the user's password; `url` as given when it does not parse. */
export function describeServer(url: string): string {
  try {
    const parsed = new URL(url);
    const socket = parsed.searchParams.get('host');
    const host = parsed.hostname || socket || 'localhost';
    const port = parsed.port || parsed.searchParams.get('port') || '5432';
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || parsed.username || 'postgres';
    return `${host}:${port}/${database}`;
  } catch {
    return url.replace(/:[^:@/\s]*@/g, ':***@');
  }
}
