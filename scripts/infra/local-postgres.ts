// Finds (or starts) a real PostgreSQL for the distributed mode and its tests: the machine's own
// cluster first, else a private cluster under .infra/pg, so a fresh checkout needs no set-up.
import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { infraDir } from './repo-root.ts';

const exec = promisify(execFile);
const MACHINE_PORT = 5432;
const PRIVATE_PORT = 15432;
const privateDir = join(infraDir, 'pg');

function adminUrls(port: number): string[] {
  const users = [...new Set(['postgres', userInfo().username])];
  return users.map((user) => `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/postgres`);
}

/** The first admin URL on `port` that accepts a connection; failures are noted for the final error. */
async function reachable(port: number, notes: string[]): Promise<string | undefined> {
  for (const url of adminUrls(port)) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return url;
    } catch (err) {
      notes.push(`${url}: ${(err as Error).message}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return undefined;
}

async function tryRun(notes: string[], cmd: string, args: string[]): Promise<boolean> {
  try {
    await exec(cmd, args, { timeout: 90_000 });
    return true;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    notes.push(`\`${cmd} ${args.join(' ')}\`: ${e.code === 'ENOENT' ? 'not installed' : (e.stderr?.trim() || e.message)}`);
    return false;
  }
}

function machineVersions(): string[] {
  try {
    return readdirSync('/etc/postgresql').sort((a, b) => Number(b) - Number(a));
  } catch {
    return [];
  }
}

/** A directory holding both initdb and pg_ctl: PATH first, then Debian's versioned folders. */
function pgBinDir(): string | undefined {
  const debian = machineVersions().map((v) => `/usr/lib/postgresql/${v}/bin`);
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...debian];
  return dirs.find((d) => d !== '' && existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));
}

function postgresOsUser(): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : undefined;
}

/**
 * Starts (creating it on first use) a private cluster in .infra/pg on port 15432, trust auth,
 * 127.0.0.1 only. initdb and pg_ctl refuse root, so as root it runs them as the `postgres` user.
 */
export async function startPrivatePostgres(notes: string[] = []): Promise<boolean> {
  const bin = pgBinDir();
  if (!bin) {
    notes.push('no PostgreSQL server binaries (initdb, pg_ctl) found');
    return false;
  }
  let asUser = (cmd: string, args: string[]): [string, string[]] => [cmd, args];
  mkdirSync(privateDir, { recursive: true });
  if (process.getuid?.() === 0) {
    const owner = postgresOsUser();
    if (!owner) {
      notes.push('running as root, which initdb refuses, and there is no `postgres` OS user to run it as');
      return false;
    }
    chownSync(privateDir, owner.uid, owner.gid);
    asUser = (cmd, args) => ['runuser', ['-u', 'postgres', '--', cmd, ...args]];
  }
  const data = join(privateDir, 'data');
  if (!existsSync(join(data, 'PG_VERSION'))) {
    const initdb = asUser(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']);
    if (!(await tryRun(notes, ...initdb))) return false;
    // In the config file rather than `pg_ctl -o`, which goes through a shell and breaks on spaces.
    appendFileSync(
      join(data, 'postgresql.conf'),
      `\nport = ${PRIVATE_PORT}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${privateDir}'\n`,
    );
  }
  const logFile = join(privateDir, 'postgres.log');
  return tryRun(notes, ...asUser(join(bin, 'pg_ctl'), ['-D', data, '-l', logFile, '-w', '-t', '60', 'start']));
}

/** An admin URL (superuser, database `postgres`) of a running local PostgreSQL. */
export async function ensureLocalPostgres(): Promise<{ adminUrl: string }> {
  const notes: string[] = [];
  const found = async (port: number): Promise<{ adminUrl: string } | undefined> => {
    const url = await reachable(port, notes);
    return url === undefined ? undefined : { adminUrl: url };
  };

  const running = (await found(MACHINE_PORT)) ?? (await found(PRIVATE_PORT));
  if (running) return running;

  const version = machineVersions()[0];
  if (version && (await tryRun(notes, 'pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']))) {
    const started = await found(MACHINE_PORT);
    if (started) return started;
  }
  if (await startPrivatePostgres(notes)) {
    const started = await found(PRIVATE_PORT);
    if (started) return started;
  }
  const startHint = version
    ? `start the machine's cluster (\`pg_ctlcluster ${version} main start\`, or \`service postgresql start\`)`
    : 'install PostgreSQL (e.g. `apt-get install postgresql`) and start it';
  throw new Error(
    `No PostgreSQL accepts connections on 127.0.0.1:${MACHINE_PORT} (user postgres, trust auth) and none could be started here. ` +
      `To fix it, ${startHint}, then rerun. What was tried: ${notes.join('; ')}`,
  );
}

async function asAdmin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates database `name` and returns its URL (same server and user as `adminUrl`). */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await asAdmin(adminUrl, `CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/** Drops database `name` even while clients are still connected to it (PostgreSQL 13+). */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await asAdmin(adminUrl, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
}
