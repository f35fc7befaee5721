/**
 * The real server under test: the built CLI (`lenslet serve`) in its own process on a fixed
 * loopback port, which a test or script may kill (SIGKILL) and start again on the same folder and
 * port. Every incarnation's stdout/stderr and lifetime are kept for the final checks.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { killOnExit } from '../process/children.ts';
import { BIN, ROOT } from '../repo.ts';
import { sleep } from '../wait.ts';
import { binArgv } from './bin-launch.ts';

export type Incarnation = {
  readonly pid: number;
  /** ms on the `clock` (by default: since the ManagedServer was made). */
  readonly started_at: number;
  up_at: number | null;
  ended_at: number | null;
  /** How it ended: 'SIGKILL' (by us), 'SIGTERM' (clean stop), or an exit code. */
  ended_by: string | null;
  stdout: string;
  stderr: string;
};

export type ServerOptions = {
  /** Folder(s) and flags after `serve`. */
  readonly args: readonly string[];
  readonly port: number;
  /** Extra environment (e.g. LENSLET_TEST_FAULTS=1). */
  readonly env?: Readonly<Record<string, string>>;
  /** The workspace directory (for the admin token in its lock file). */
  readonly workspace?: string;
  /** Milliseconds since the start of the run. */
  readonly clock?: () => number;
  /** The `lenslet` bin to run (default: this checkout's; benchmarks pass an older build for A/B). */
  readonly bin?: string;
  /** Node flags before the bin (a benchmark's `--cpu-prof`). */
  readonly node_args?: readonly string[];
};

export class ManagedServer {
  readonly url: string;
  readonly incarnations: Incarnation[] = [];
  readonly #options: ServerOptions;
  readonly #clock: () => number;
  #child: ChildProcess | null = null;

  constructor(options: ServerOptions) {
    this.#options = options;
    this.url = `http://127.0.0.1:${options.port}`;
    const t0 = performance.now();
    this.#clock = options.clock ?? (() => performance.now() - t0);
  }

  get alive(): boolean {
    const child = this.#child;
    return child !== null && child.exitCode === null && child.signalCode === null;
  }

  get pid(): number | null {
    return this.alive ? (this.#child?.pid ?? null) : null;
  }

  /** The current (last) incarnation. */
  get current(): Incarnation | undefined {
    return this.incarnations.at(-1);
  }

  /** Start the server; resolves once `/health` answers (any status below 500). */
  async start(timeoutMs = 60_000): Promise<Incarnation> {
    if (this.alive) throw new Error('the server is already running');
    const env = { ...process.env, ...this.#options.env };
    const child = spawn(
      process.execPath,
      [
        ...binArgv(this.#options.bin ?? BIN, this.#options.node_args, env),
        'serve',
        ...this.#options.args,
        '--port',
        String(this.#options.port),
        '--strict-port',
      ],
      {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    killOnExit(child);
    const life: Incarnation = {
      pid: child.pid ?? -1,
      started_at: this.#clock(),
      up_at: null,
      ended_at: null,
      ended_by: null,
      stdout: '',
      stderr: '',
    };
    this.incarnations.push(life);
    this.#child = child;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      life.stdout += chunk;
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      life.stderr += chunk;
    });
    child.once('exit', (code, signal) => {
      life.ended_at = this.#clock();
      life.ended_by = signal ?? `exit ${code}`;
    });
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `the server exited while starting (${life.ended_by}):\n${life.stdout}\n${life.stderr}`,
        );
      }
      try {
        const res = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        if (res.status < 500) break;
      } catch {
        // not listening yet
      }
      if (performance.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the server did not answer within ${timeoutMs} ms:\n${life.stderr}`);
      }
      await sleep(50);
    }
    life.up_at = this.#clock();
    return life;
  }

  /** Send `signal` and wait for the process to end (SIGKILL after `graceMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
    const child = this.#child;
    if (!child || !this.alive) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill(signal);
    });
  }

  /** SIGKILL: no shutdown code runs, exactly like a crash or the OOM killer. */
  kill(): Promise<void> {
    return this.stop('SIGKILL');
  }

  /** The admin token this incarnation wrote into the workspace lock file. */
  async adminToken(): Promise<string> {
    const workspace = this.#options.workspace;
    if (!workspace) throw new Error('no workspace given: admin routes need its lock file');
    const deadline = performance.now() + 10_000;
    for (;;) {
      try {
        const lock = JSON.parse(await readFile(join(workspace, 'lock'), 'utf8')) as {
          pid?: number;
          admin_token?: string;
        };
        if (lock.pid === this.pid && lock.admin_token) return lock.admin_token;
      } catch {
        // being rewritten
      }
      if (performance.now() > deadline) throw new Error('no admin token in the lock file');
      await sleep(50);
    }
  }

  /** Call a local admin route (`/admin/faults`, `/admin/compact`) of the running server. */
  async admin(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<Response> {
    const token = await this.adminToken();
    return fetch(`${this.url}${path}`, {
      method,
      headers: {
        'x-lenslet-admin-token': token,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  }

  /** Everything every incarnation wrote to stderr. */
  stderr(): string {
    return this.incarnations.map((life) => life.stderr).join('');
  }
}
