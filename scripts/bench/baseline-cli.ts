/**
 * The `lenslet` CLI as an older commit built it, for A/B benchmarks (`--baseline <rev>`): the
 * commit's tree is extracted under tmp/bench-cli-<commit>/ (git-ignored, inside the checkout so
 * the bundle's npm imports resolve from this node_modules) and bundled with that commit's own
 * bundler (packages/test-kit/src/esbuild.mjs, which takes workspace packages from the extracted
 * sources). Built once per commit and reused. Resolves the bin to pass to ManagedServer.
 */
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '@lenslet/test-kit';

type Bundler = {
  bundleForNode(options: { entryPoints: Record<string, string>; outdir: string }): Promise<void>;
  SNAPSHOT_WORKER_SOURCE: string;
};

export async function baselineCli(rev: string): Promise<{ bin: string; commit: string }> {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${rev}^{commit}`], {
    cwd: ROOT,
    encoding: 'utf8',
  }).trim();
  const dir = join(ROOT, 'tmp', `bench-cli-${commit.slice(0, 12)}`);
  const bin = join(dir, 'apps/cli/bin/lenslet.cjs');
  const bundle = join(dir, 'apps/cli/dist/lenslet.mjs');
  if (existsSync(bundle)) return { bin, commit };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execSync(`git archive --format=tar ${commit} | tar -x -C '${dir}'`, { cwd: ROOT });
  const bundler = (await import(
    pathToFileURL(join(dir, 'packages/test-kit/src/esbuild.mjs')).href
  )) as Bundler;
  const entryPoints: Record<string, string> = { lenslet: join(dir, 'apps/cli/src/cli.ts') };
  if (existsSync(bundler.SNAPSHOT_WORKER_SOURCE)) {
    entryPoints['snapshot-worker'] = bundler.SNAPSHOT_WORKER_SOURCE;
  }
  await bundler.bundleForNode({ entryPoints, outdir: join(dir, 'apps/cli/dist') });
  return { bin, commit };
}
