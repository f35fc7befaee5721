/**
 * One LazyFS mount for the power-loss campaign (campaign.ts). LazyFS is a FUSE filesystem that
 * keeps every write in its own cache until it is fsynced, so killing it loses exactly what a
 * power cut loses; a `torn-op` injection also persists only some parts of one write (a hole,
 * then data) before it crashes itself. LazyFS is not a Debian package: build it yourself and
 * point `LAZYFS` at the binary (this project ships neither its sources nor a build script).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { sleep } from '@lenslet/test-kit';

export type TornWrite = {
  /** The file as LazyFS sees it (its path under the mount's root directory). */
  readonly file: string;
  /** Which write to that file, counted from the mount, is torn. */
  readonly occurrence: number;
  /** Equal parts the write is split into, and which of them (1-based) reach the disk. */
  readonly parts: number;
  readonly persist: readonly number[];
};

/** Drop everything unsynced right before the `fsync`-th fdatasync of `file`, then crash. */
export type ClearBeforeSync = { readonly file: string; readonly fsync: number };

export type LazyMount = {
  /** Everything LazyFS printed: it names a fault when one fired. */
  output(): string;
  /** The power cut: LazyFS dies with everything not fsynced, and the mount goes away. */
  cut(): Promise<void>;
};

const mounted = (dir: string) => spawnSync('mountpoint', ['-q', dir]).status === 0;

/** Detach a (possibly dead) FUSE mount; `umount -l` when fusermount3 cannot. */
function unmount(dir: string): void {
  spawnSync('fusermount3', ['-u', '-z', dir]);
  if (mounted(dir)) spawnSync('umount', ['-l', dir]);
}

/** The LazyFS binary, or a one-line reason why the campaign cannot run. */
export function lazyfsBinary(): string {
  const bin = process.env.LAZYFS;
  if (!bin) throw new Error('set LAZYFS to a built LazyFS binary (github.com/dsrhaslab/lazyfs)');
  if (!existsSync(bin)) throw new Error(`LAZYFS=${bin}: no such file`);
  if (!existsSync('/dev/fuse')) throw new Error('/dev/fuse is missing: LazyFS needs FUSE');
  return bin;
}

function config(fifo: string, torn: TornWrite | null, clear: ClearBeforeSync | null): string {
  const lines = [
    '[faults]',
    `fifo_path="${fifo}"`,
    '[cache]',
    'apply_eviction=false',
    '[cache.simple]',
    'custom_size="256mb"',
    'blocks_per_page=1',
    '[filesystem]',
    'log_all_operations=false',
    'logfile=""',
  ];
  if (torn) {
    lines.push(
      '[[injection]]',
      'type="torn-op"',
      `file="${torn.file}"`,
      `occurrence=${torn.occurrence}`,
      `parts=${torn.parts}`,
      `persist=[${torn.persist.join(',')}]`,
    );
  }
  if (clear) {
    lines.push(
      '[[injection]]',
      'type="clear-cache"',
      `from="${clear.file}"`,
      'timing="before"',
      'op="fsync"',
      `occurrence=${clear.fsync}`,
      'crash=true',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Mount `root` at `mountpoint` through LazyFS, optionally with one fault armed. */
export async function mountLazyfs(
  bin: string,
  root: string,
  mountpoint: string,
  torn: TornWrite | null,
  clear: ClearBeforeSync | null,
): Promise<LazyMount> {
  unmount(mountpoint);
  const configFile = `${root}.lazyfs.toml`;
  writeFileSync(configFile, config(`${root}.faults.fifo`, torn, clear));
  const args = [mountpoint, '--config-path', configFile, '-o', 'modules=subdir', '-o'];
  const child: ChildProcess = spawn(bin, [...args, `subdir=${root}`, '-f'], { stdio: 'pipe' });
  let text = '';
  child.stdout?.on('data', (chunk) => {
    text += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    text += chunk;
  });
  for (let i = 0; i < 600 && !mounted(mountpoint); i++) await sleep(50);
  if (!mounted(mountpoint)) throw new Error(`LazyFS did not mount ${mountpoint}: ${text.trim()}`);
  return {
    output: () => text,
    cut: async () => {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await gone;
      }
      unmount(mountpoint);
    },
  };
}
