// A throwaway PostgreSQL server for tests: `initdb` into a temporary folder, `pg_ctl start` on a
// free loopback port, a password login for user `pipectl`, and `stop()` removes it all. Uses
// Debian's packages (scripts/install-postgres.sh). initdb refuses to run as root, so as root
// (CI) every server command runs as the `postgres` system user, in a folder that user owns.
// Shared by the packages' tests (the engine's adds an SQL client, packages/engine/test/support/postgres.ts);
// it needs no client library itself: databases are made with the server's own `createdb`.
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestPostgresServer {
  /** `postgres://pipectl:<password>@127.0.0.1:<port>/postgres` */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** Creates an empty database owned by `pipectl`. */
  createDatabase(name: string): Promise<void>;
  /** A DuckLake catalog string for `database` (with the password: tests only). */
  catalogOf(database: string): string;
  stop(): Promise<void>;
}

/** Starts a fresh server; call `stop()` in `afterAll`. */
export async function startPostgresServer(): Promise<TestPostgresServer> {
  const bin = postgresBinDir();
  const asRoot = process.getuid?.() === 0;
  // As root, a folder the postgres user can reach whatever TMPDIR says.
  const dir = await mkdtemp(join(asRoot ? '/tmp' : tmpdir(), 'pipectl-pg-'));
  const data = join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  const user = 'pipectl';
  await writeFile(join(dir, 'password'), `${password}\n`);
  if (asRoot) {
    const { uid, gid } = postgresUser();
    await chown(dir, uid, gid);
    await chown(join(dir, 'password'), uid, gid);
  }
  await chmod(dir, 0o700);
  const pgCommand = (program: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, program), ...args], { cwd: dir })
      : run(join(bin, program), args, { cwd: dir });

  await pgCommand('initdb', [
    '-D',
    data,
    '-U',
    user,
    `--pwfile=${join(dir, 'password')}`,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '--no-sync',
    '--encoding=UTF8',
    '--no-locale',
  ]).catch((error: Error & { stderr?: string }) => {
    throw new Error(`initdb failed: ${error.stderr ?? error.message}`);
  });
  const port = await freePort();
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
  const stopSync = () => {
    const args = [join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop'];
    spawnSync(
      asRoot ? 'runuser' : (args.shift() as string),
      asRoot ? ['-u', 'postgres', '--', ...args] : args,
      {
        stdio: 'ignore',
      },
    );
  };
  await pgCommand('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    options,
    'start',
  ]).catch((error: Error & { stderr?: string }) => {
    const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
    throw new Error(`pg_ctl start failed: ${error.stderr ?? error.message}\n${log}`);
  });
  // A crashed test run must not leave servers behind.
  process.once('exit', stopSync);

  const host = '127.0.0.1';
  const database = 'postgres';
  const url = `postgres://${user}:${password}@${host}:${port}/${database}`;
  let stopped = false;
  return {
    url,
    host,
    port,
    user,
    password,
    database,
    async createDatabase(name) {
      // Over the server's socket, where local logins are trusted.
      await pgCommand('createdb', ['-h', dir, '-p', String(port), '-U', user, name]);
    },
    catalogOf(name) {
      return `postgres:host=${host} port=${port} user=${user} password=${password} dbname=${name}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', stopSync);
      stopSync();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Where initdb and pg_ctl are: $PIPECTL_PG_BIN, or Debian's /usr/lib/postgresql/<n>/bin, where
 * scripts/install-postgres.sh puts them. Never the PATH: a new user's machine has only what the
 * project installed.
 */
export function postgresBinDir(): string {
  const candidates = [process.env.PIPECTL_PG_BIN, ...debianBinDirs()].filter((dir): dir is string =>
    Boolean(dir),
  );
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl) not found in $PIPECTL_PG_BIN or /usr/lib/postgresql/<n>/bin: run `bash scripts/install-postgres.sh`',
    );
  }
  return found;
}

function debianBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((version) => /^\d+$/.test(version))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join(root, version, 'bin'));
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(
      'running as root needs the "postgres" system user (created by scripts/install-postgres.sh)',
    );
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
