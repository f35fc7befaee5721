/**
 * Real PostgreSQL clusters for tests and benchmarks: `initdb` + `pg_ctl` run as the `postgres`
 * user (the tests run as root), each cluster in its own temp directory on a free port, listening
 * on 127.0.0.1 only, trusting local TCP logins. A cluster is stopped by the pid of its postmaster
 * (never by name) and killed when the test process exits. `startStandby` clones a primary with
 * `pg_basebackup -R` into a streaming standby and makes it the synchronous one.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** Where Debian puts the PostgreSQL 15 programs (override with LENSLET_PG_BIN). */
export const PG_BIN = process.env.LENSLET_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const OS_USER = 'postgres';

export type PgCluster = {
  readonly port: number;
  /** The cluster's temp directory (data in `data/`, server log in `server.log`). */
  readonly dir: string;
  /** `postgres://postgres@127.0.0.1:<port>/<database>` */
  url(database?: string): string;
  /** pid of the running postmaster (null when stopped). */
  pid(): number | null;
  /** Start a stopped cluster again (same port and data). */
  start(): Promise<void>;
  /** Fast shutdown (SIGINT to the postmaster), waiting until it is gone. */
  stop(): Promise<void>;
  /** SIGKILL the postmaster and every child process at once: a crash. */
  kill(): Promise<void>;
  /** CPU time (ms) used so far by the cluster's processes, including exited backends. */
  cpuMs(): number;
  /** SIGSTOP / SIGCONT every process of the cluster (a server that stops answering). */
  pause(): void;
  resume(): void;
  /** Promote a standby to primary (waits until it accepts writes). */
  promote(): Promise<void>;
  /** Run SQL with psql as the superuser; returns stdout (unaligned, tuples only). */
  psql(sql: string, database?: string): Promise<string>;
  /** Stop (or kill) and remove the directory. */
  destroy(): Promise<void>;
};

const running = new Set<number>();
/** Temp directories of clusters not destroyed yet. */
const directories = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test process that dies or forgets to stop a cluster must not leave a postmaster (or its
  // files) behind.
  process.on('exit', () => {
    for (const pid of running) {
      killGroup(pid, 'SIGCONT');
      killGroup(pid, 'SIGKILL');
    }
    for (const dir of directories) rmSync(dir, { recursive: true, force: true });
  });
}

/** The postmaster and its children (each child is its own process group, so no group kill). */
function clusterPids(pid: number): number[] {
  const pids = [pid];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** utime + stime of the postmaster's children, and of the postmaster with its reaped children. */
function clusterCpuMs(pid: number): number {
  let ticks = 0;
  for (const target of clusterPids(pid)) {
    try {
      const stat = readFileSync(`/proc/${target}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14–17 of /proc/<pid>/stat (utime, stime, cutime, cstime), counted from field 3.
      const own = Number(fields[11]) + Number(fields[12]);
      ticks += target === pid ? own + Number(fields[13]) + Number(fields[14]) : own;
    } catch {
      // gone meanwhile (its time moved to the postmaster's cutime)
    }
  }
  return (ticks * 1000) / CLOCK_TICKS_PER_S;
}

/** USER_HZ: Linux reports process times in 1/100 s. */
const CLOCK_TICKS_PER_S = 100;

/** Signal every process of the cluster whose postmaster is `pid`. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  for (const target of clusterPids(pid)) {
    try {
      process.kill(target, signal);
    } catch {
      // already gone
    }
  }
}

/** True while `pid` runs (a zombie waiting for its parent to reap it counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
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

function asPostgres(program: string, args: readonly string[], timeoutMs = 60_000) {
  return run('runuser', ['-u', OS_USER, '--', join(PG_BIN, program), ...args], {
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  });
}

async function ownedTempDir(prefix: string): Promise<string> {
  installExitHook();
  const dir = await mkdtemp(join(tmpdir(), prefix));
  directories.add(dir);
  const { stdout } = await run('id', ['-u', OS_USER]);
  const uid = Number(stdout.trim());
  const { stdout: gid } = await run('id', ['-g', OS_USER]);
  await chown(dir, uid, Number(gid.trim()));
  return dir;
}

/** Settings every test cluster gets (appended to postgresql.conf). */
function settings(port: number, dir: string): string {
  return [
    '',
    '# lenslet test cluster',
    "listen_addresses = '127.0.0.1'",
    `port = ${port}`,
    `unix_socket_directories = '${dir}'`,
    'max_connections = 100',
    'shared_buffers = 64MB',
    'wal_level = replica',
    'max_wal_senders = 4',
    'hot_standby = on',
    "synchronous_commit = 'on'",
    'fsync = on',
    'log_min_messages = warning',
    '',
  ].join('\n');
}

export type StartOptions = { readonly prefix?: string };

/** initdb a new cluster in a temp directory and start it on a free port. */
export async function startPgCluster(options: StartOptions = {}): Promise<PgCluster> {
  const dir = await ownedTempDir(options.prefix ?? 'lenslet-pg-');
  const data = join(dir, 'data');
  await asPostgres('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  await writeFile(
    join(data, 'pg_hba.conf'),
    'local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n',
  );
  const port = await freePort();
  await appendSettings(data, settings(port, dir));
  const cluster = clusterAt(dir, port);
  await cluster.start();
  return cluster;
}

async function appendSettings(data: string, text: string): Promise<void> {
  const file = join(data, 'postgresql.conf');
  await writeFile(file, (await readFile(file, 'utf8')) + text);
}

export type StandbyOptions = {
  /** Make it the primary's synchronous standby (the default). */
  readonly synchronous?: boolean;
};

/** Clone `primary` into a streaming standby (pg_basebackup -R) and start it. */
export async function startStandby(
  primary: PgCluster,
  options: StandbyOptions = {},
): Promise<PgCluster> {
  const dir = await ownedTempDir('lenslet-pg-standby-');
  const data = join(dir, 'data');
  await asPostgres('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-D',
    data,
    '-R',
    '-X',
    'stream',
    '--checkpoint=fast',
    '--no-sync',
  ]);
  const port = await freePort();
  await appendSettings(data, `${settings(port, dir)}cluster_name = 'standby_${port}'\n`);
  const standby = clusterAt(dir, port);
  await standby.start();
  if (options.synchronous !== false) {
    await primary.psql(`ALTER SYSTEM SET synchronous_standby_names = '"standby_${port}"'`);
    await primary.psql('SELECT pg_reload_conf()');
    const deadline = Date.now() + 30_000;
    for (;;) {
      const state = await primary.psql(
        `SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby_${port}'`,
      );
      if (state.trim() === 'sync') break;
      if (Date.now() > deadline) throw new Error(`standby on port ${port} never became sync`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return standby;
}

function clusterAt(dir: string, port: number): PgCluster {
  const data = join(dir, 'data');
  let pid: number | null = null;
  const readPid = async () => {
    const text = await readFile(join(data, 'postmaster.pid'), 'utf8');
    return Number(text.split('\n')[0]);
  };
  const psql = async (sql: string, database = 'postgres') => {
    const { stdout } = await run(
      join(PG_BIN, 'psql'),
      ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-Atqc', sql],
      { timeout: 30_000 },
    );
    return stdout;
  };
  const cluster: PgCluster = {
    port,
    dir,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    pid: () => pid,
    async start() {
      installExitHook();
      await asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', 'start']);
      pid = await readPid();
      running.add(pid);
    },
    async stop() {
      if (pid === null) return;
      const stopping = pid;
      process.kill(stopping, 'SIGINT');
      if (!(await waitGone(stopping, 30_000))) killGroup(stopping, 'SIGKILL');
      await waitGone(stopping, 5_000);
      running.delete(stopping);
      pid = null;
    },
    async kill() {
      if (pid === null) return;
      const killing = pid;
      killGroup(killing, 'SIGKILL');
      await waitGone(killing, 5_000);
      running.delete(killing);
      pid = null;
    },
    cpuMs: () => (pid === null ? 0 : clusterCpuMs(pid)),
    pause() {
      if (pid !== null) killGroup(pid, 'SIGSTOP');
    },
    resume() {
      if (pid !== null) killGroup(pid, 'SIGCONT');
    },
    async promote() {
      await asPostgres('pg_ctl', ['-D', data, '-w', 'promote']);
      const deadline = Date.now() + 30_000;
      while ((await psql('SELECT pg_is_in_recovery()')).trim() !== 'f') {
        if (Date.now() > deadline) throw new Error(`standby on port ${port} was not promoted`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    psql,
    async destroy() {
      if (pid !== null) await cluster.kill();
      await rm(dir, { recursive: true, force: true });
      directories.delete(dir);
    },
  };
  return cluster;
}
