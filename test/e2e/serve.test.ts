/**
 * `lenslet serve` end to end: the built CLI on a temp copy of test/fixtures/gallery, over a real
 * port — banner, browse routes, the token flow for network access, restart on the same workspace,
 * orderly stop, and the one-line errors with their exit codes.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliRun, ensureBuilt, FIXTURE_GALLERY, spawnCli } from '@lenslet/test-kit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';

let dir: string;
const running = new Set<CliRun>();

beforeAll(async () => {
  await ensureBuilt();
}, 120_000);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lenslet-e2e-serve-'));
  await cp(FIXTURE_GALLERY, join(dir, 'gallery'), { recursive: true });
});

afterEach(async () => {
  for (const run of running) run.child.kill('SIGKILL');
  running.clear();
  await rm(dir, { recursive: true, force: true });
});

afterAll(() => {
  for (const run of running) run.child.kill('SIGKILL');
});

function serve(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const run = spawnCli(['serve', ...args], env);
  running.add(run);
  return run;
}

async function stop(run: CliRun): Promise<number | null> {
  run.child.kill('SIGTERM');
  const code = await run.exited;
  running.delete(run);
  return code;
}

describe('serving a folder', () => {
  test('prints the banner, answers /health and /folders, and stops in order on SIGTERM', async () => {
    const gallery = join(dir, 'gallery');
    const run = serve([gallery, '--port', '0']);
    const [, url] = await run.waitFor(/Local:\s+(http:\/\/127\.0\.0\.1:\d+)\//);
    const [, images] = await run.waitFor(/Images:\s+(\d+) in \d+ folders/);
    expect(run.stdout).toContain(`serving ${gallery}`);
    expect(run.stdout).toContain(`Labels:     ${join(gallery, '.lenslet')} (fsync`);
    expect(run.stdout).not.toContain('NOT SAVED');

    type Health = {
      indexing: { state: string; items: number };
      workspace: string;
      labels: { durability: string };
    };
    const health = (await (await fetch(`${url}/health`)).json()) as Health;
    expect(health).toMatchObject({ ok: true, mode: 'folder', can_write: true, ephemeral: false });
    expect(health.indexing).toMatchObject({ state: 'ready', items: Number(images) });
    expect(health.workspace).toBe(join(gallery, '.lenslet'));
    expect(health.labels.durability).toBe('fsync');

    const folders = await fetch(`${url}/folders?path=/&recursive=true`);
    expect(folders.headers.get('lenslet-seq')).toBe('0');
    const body = (await folders.json()) as {
      total_items: number;
      items: { path: string; thumb_url: string }[];
    };
    expect(body.total_items).toBe(Number(images));
    const paths = body.items.map((i) => i.path);
    expect(paths).toContain('/landscape.jpg');
    expect(paths).toContain('/nested/deeper/deep.webp');
    expect(paths).not.toContain('/_draft.jpg');
    const thumb = await fetch(
      `${url}${body.items.find((i) => i.path === '/landscape.jpg')!.thumb_url}`,
    );
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    expect(thumb.headers.get('cache-control')).toContain('immutable');

    expect(await stop(run)).toBe(0);
    expect(run.stderr).toContain('Stopped. Every acknowledged label is on disk.');
  });

  test('a restart on the same workspace keeps labels and prefers the port it used last', async () => {
    const gallery = join(dir, 'gallery');
    const first = serve([gallery, '--port', '0']);
    const [, url, port] = await first.waitFor(/Local:\s+(http:\/\/127\.0\.0\.1:(\d+))\//);
    const patch = await fetch(`${url}/item?path=/landscape.jpg`, {
      method: 'PATCH',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': 'e2e-restart-1',
        Origin: url!,
      },
      body: JSON.stringify({ set_star: 5, add_tags: ['keeper'], base_version: 1 }),
    });
    expect(patch.status).toBe(200);
    expect(await stop(first)).toBe(0);
    expect(JSON.parse(await readFile(join(gallery, '.lenslet', 'server.json'), 'utf8')).port).toBe(
      Number(port),
    );

    const second = serve([gallery]);
    const [, url2] = await second.waitFor(/Local:\s+(http:\/\/127\.0\.0\.1:\d+)\//);
    expect(url2).toBe(url);
    const detail = (await (
      await fetch(`${url2}/item/detail?path=/landscape.jpg`)
    ).json()) as Record<string, unknown>;
    expect(detail).toMatchObject({ star: 5, tags: ['keeper'], version: 2 });
    expect(await stop(second)).toBe(0);
  });

  test('lenslet compact reaches the running server through the lock file', async () => {
    const gallery = join(dir, 'gallery');
    const run = serve([gallery, '--port', '0']);
    const [, url] = await run.waitFor(/Local:\s+(http:\/\/127\.0\.0\.1:\d+)\//);
    const patch = await fetch(`${url}/item?path=/landscape.jpg`, {
      method: 'PATCH',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': 'e2e-compact-1',
        Origin: url!,
      },
      body: JSON.stringify({ set_star: 3, base_version: 1 }),
    });
    expect(patch.status).toBe(200);
    const compact = spawnCli(['compact', gallery]);
    running.add(compact);
    expect(await compact.exited).toBe(0);
    expect(compact.stdout).toContain(`asking the server at ${url}/`);
    expect(await stop(run)).toBe(0);
  });

  test('--no-write says loudly that labels are not saved, and writes nothing', async () => {
    const gallery = join(dir, 'gallery');
    const run = serve([gallery, '--port', '0', '--no-write']);
    const [, url] = await run.waitFor(/Local:\s+(http:\/\/127\.0\.0\.1:\d+)\//);
    await run.waitFor(/Press Ctrl-C/);
    expect(run.stdout).toContain('!!! LABELS ARE NOT SAVED !!!');
    expect(run.stdout).toContain('--no-write');
    const health = (await (await fetch(`${url}/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({
      ephemeral: true,
      ephemeral_reason: 'the server was started with --no-write',
    });
    expect(await stop(run)).toBe(0);
    await expect(readFile(join(gallery, '.lenslet', 'server.json'))).rejects.toThrow();
  });
});

describe('other modes', () => {
  test('no folder serves the demo gallery, says labels are not kept, and removes it on exit', async () => {
    const run = serve(['--port', '0']);
    const [, url] = await run.waitFor(/Local:\s+(http:\/\/127\.0\.0\.1:\d+)\//, 60_000);
    await run.waitFor(/Press Ctrl-C/);
    expect(run.stdout).toContain('demo gallery');
    expect(run.stdout).toContain('!!! this is the demo gallery');
    const health = (await (await fetch(`${url}/health`)).json()) as {
      indexing: { items: number };
      roots: { dir: string }[];
    };
    expect(health.indexing.items).toBeGreaterThan(20);
    const demoDir = health.roots[0]!.dir;
    const listing = (await (
      await fetch(`${url}/folders?path=/&recursive=true&limit=1`)
    ).json()) as {
      items: { thumb_url: string }[];
    };
    expect((await fetch(`${url}${listing.items[0]!.thumb_url}`)).status).toBe(200);
    expect(await stop(run)).toBe(0);
    expect(existsSync(demoDir)).toBe(false);
  });

  test('dataset mode serves named folders under their prefix with one workspace', async () => {
    const workspace = join(dir, 'labels');
    await cp(join(dir, 'gallery', 'nested'), join(dir, 'second'), { recursive: true });
    const run = serve([
      `photos=${join(dir, 'gallery')}`,
      `more=${join(dir, 'second')}`,
      '--workspace',
      workspace,
      '--port',
      '0',
    ]);
    const [, url] = await run.waitFor(/Local:\s+(http:\/\/127\.0\.0\.1:\d+)\//);
    expect(run.stdout).toContain(`/photos = ${join(dir, 'gallery')}`);
    const health = (await (await fetch(`${url}/health`)).json()) as {
      mode: string;
      workspace: string;
    };
    expect(health).toMatchObject({ mode: 'dataset', workspace });
    const root = (await (await fetch(`${url}/folders?path=/`)).json()) as {
      folders: { name: string }[];
    };
    expect(root.folders.map((f) => f.name)).toEqual(['more', 'photos']);
    const more = (await (await fetch(`${url}/folders?path=/more&recursive=true`)).json()) as {
      items: { path: string }[];
    };
    expect(more.items.map((i) => i.path)).toContain('/more/deeper/deep.webp');
    expect(await stop(run)).toBe(0);
    expect(JSON.parse(await readFile(join(workspace, 'server.json'), 'utf8')).port).toBeGreaterThan(
      0,
    );
  });

  test('several folders without --workspace is a usage error', async () => {
    const run = serve([`a=${join(dir, 'gallery')}`, `b=${join(dir, 'gallery', 'nested')}`]);
    expect(await run.exited).toBe(2);
    expect(run.stderr).toContain('needs --workspace');
  });

  test('a workspace that cannot be created keeps labels in memory and says so loudly', async () => {
    const blocker = join(dir, 'not-a-dir');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(blocker, 'x');
    const run = serve([join(dir, 'gallery'), '--workspace', join(blocker, 'ws'), '--port', '0']);
    const [, url] = await run.waitFor(/Local:\s+(http:\/\/127\.0\.0\.1:\d+)\//);
    await run.waitFor(/Press Ctrl-C/);
    expect(run.stdout).toContain('!!! LABELS ARE NOT SAVED !!!');
    expect(run.stdout).toContain(`the workspace ${join(blocker, 'ws')} cannot be written`);
    const health = (await (await fetch(`${url}/health`)).json()) as {
      ephemeral: boolean;
      labels: { durability: string };
    };
    expect(health).toMatchObject({ ephemeral: true, labels: { durability: 'memory' } });
    expect(await stop(run)).toBe(0);
  });
});

describe('colleagues on the network', () => {
  test('a non-loopback host gets a generated token, printed links, and the cookie flow', async () => {
    const run = serve([join(dir, 'gallery'), '--port', '0', '--host', '0.0.0.0']);
    const [, url, token] = await run.waitFor(
      /Local:\s+(http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)/,
    );
    await run.waitFor(/Press Ctrl-C/);
    expect(run.stdout).toContain('carry a new access token');
    for (const line of run.stdout.split('\n').filter((l) => l.includes('Network:'))) {
      expect(line).toMatch(/Network:\s+http:\/\/[^/]+:\d+\/\?token=/);
    }
    expect((await fetch(`${url}/health`)).status).toBe(401);
    const page = await fetch(`${url}/`, { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('printed in their terminal');
    const link = await fetch(`${url}/?token=${token}`, { redirect: 'manual' });
    expect(link.status).toBe(302);
    expect(link.headers.get('location')).toBe('/');
    const cookie = link.headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(`${url}/health`, { headers: { Cookie: cookie } })).status).toBe(200);
    expect(
      (await fetch(`${url}/health`, { headers: { Authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    // fetch drops a Host header; node:http sends it as given (what a DNS-rebinding page causes).
    const rebinding = await new Promise<number>((resolve, reject) => {
      get(
        `${url}/health`,
        { headers: { Authorization: `Bearer ${token}`, Host: 'evil.example' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      ).on('error', reject);
    });
    expect(rebinding).toBe(403);
    expect(await stop(run)).toBe(0);
  });
});

describe('errors: one line and an exit code', () => {
  test('a missing folder exits 1', async () => {
    const run = serve([join(dir, 'nope')]);
    expect(await run.exited).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `lenslet serve: no folder ${join(dir, 'nope')}`,
    ]);
  });

  test('a bad flag exits 2', async () => {
    const run = serve([join(dir, 'gallery'), '--port', 'seventy']);
    expect(await run.exited).toBe(2);
    expect(run.stderr).toMatch(/^lenslet serve: --port "seventy" must be a whole number/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('--strict-port on a taken port exits 1; without it the next port is used', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const strict = serve([join(dir, 'gallery'), '--port', String(taken), '--strict-port']);
      expect(await strict.exited).toBe(1);
      expect(strict.stderr).toContain(`port ${taken} on 127.0.0.1 is already in use`);
      const loose = serve([join(dir, 'gallery'), '--port', String(taken)]);
      const [, port] = await loose.waitFor(/Local:\s+http:\/\/127\.0\.0\.1:(\d+)\//);
      expect(Number(port)).toBeGreaterThan(taken);
      expect(loose.stdout).toContain(`port ${taken} was taken`);
      expect(await stop(loose)).toBe(0);
    } finally {
      blocker.close();
    }
  });

  test('a second server on the same workspace exits 1 naming the first', async () => {
    const first = serve([join(dir, 'gallery'), '--port', '0']);
    await first.waitFor(/Press Ctrl-C/);
    const second = serve([join(dir, 'gallery'), '--port', '0']);
    expect(await second.exited).toBe(1);
    expect(second.stderr).toContain('the workspace is in use by another Lenslet');
    expect(await stop(first)).toBe(0);
  });

  test('--help prints the options and exits 0', async () => {
    const run = serve(['--help']);
    expect(await run.exited).toBe(0);
    expect(run.stdout).toContain('Usage: lenslet serve');
    expect(run.stdout).toContain('--public-url');
  });
});
