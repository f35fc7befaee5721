/**
 * A real HAProxy (Debian's /usr/sbin/haproxy, `LENSLET_HAPROXY` to override) in front of
 * replicas, as docs/deploy.md configures it: round robin, a health check of `GET /health` every
 * second (a replica that stops answering it is taken out after 3 failures, put back after 2
 * successes), connection failures retried on another replica, timeouts that let live streams
 * (SSE, a keepalive every 15 s) stay open. The config is written to a temp directory; HAProxy runs
 * in the foreground as a child of the test, on a free loopback port, and is stopped by its pid.
 * Every answer names the replica that served it (`X-Lenslet-Replica: r1`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../wait.ts';
import { killOnExit } from './children.ts';
import { freePort } from './free-port.ts';

export const HAPROXY_BIN = process.env.LENSLET_HAPROXY ?? '/usr/sbin/haproxy';

export type Backend = { readonly name: string; readonly port: number };

export type Haproxy = {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** The configuration it runs with (also in `dir`/haproxy.cfg). */
  readonly config: string;
  stop(): Promise<void>;
};

/** The configuration docs/deploy.md shows, for `backends` behind 127.0.0.1:`port`. */
export function haproxyConfig(port: number, backends: readonly Backend[]): string {
  return [
    'global',
    '  maxconn 4096',
    '',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    // Live streams send a keepalive every 15 s: an idle minute means a dead peer.
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout http-request 10s',
    '  timeout http-keep-alive 10s',
    // /health answers within 2 s even while the database is down (read-sync.ts); a busy machine
    // may add to that, and a replica wrongly taken out costs more than a slow check.
    '  timeout check 5s',
    // A request that could not reach a replica (refused, killed) goes to another one.
    '  retries 2',
    '  option redispatch',
    '',
    'frontend lenslet',
    `  bind 127.0.0.1:${port}`,
    '  default_backend replicas',
    '',
    'backend replicas',
    '  balance roundrobin',
    '  option httpchk',
    // HTTP/1.1 with a Host the replicas answer to (their Host check refuses a request without).
    '  http-check send meth GET uri /health ver HTTP/1.1 hdr Host 127.0.0.1',
    '  http-check expect status 200',
    '  default-server inter 1s fall 3 rise 2',
    '  http-response set-header X-Lenslet-Replica %s',
    ...backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check`),
    '',
  ].join('\n');
}

/** Start HAProxy in front of `backends`; resolves once it answers through the frontend. */
export async function startHaproxy(backends: readonly Backend[]): Promise<Haproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'lenslet-haproxy-'));
  const port = await freePort();
  const config = haproxyConfig(port, backends);
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  let output = '';
  const child: ChildProcess = killOnExit(
    spawn(HAPROXY_BIN, ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited (${child.exitCode}):\n${output}`);
    const up = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) }).then(
      async (res) => {
        await res.arrayBuffer();
        return res.status === 200;
      },
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`haproxy did not answer on ${url}:\n${output}`);
    }
    await sleep(50);
  }
  return {
    url,
    port,
    pid: child.pid!,
    config,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
