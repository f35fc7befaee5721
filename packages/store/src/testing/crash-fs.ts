/**
 * An in-memory filesystem for crash simulation. It remembers two versions of everything: what the
 * running process sees, and what the last fsync made durable (file bytes by `datasync`, names by
 * `syncDir` of their directory). `crash()` throws the volatile version away, optionally keeping a
 * torn prefix of bytes that were appended but never synced, or any subset of their 4 KiB pages
 * (the rest zeros) as a power cut can. `freezeAfter(n)` makes the n-th
 * mutating call and everything after it fail, which is how a test "kills" the process mid-write.
 * Every call takes effect at the moment it is made (never later), so a call can never land on
 * the disk after the crash that was supposed to stop it.
 */
import {
  type FileStat,
  type FsHandle,
  type FsPort,
  fsError,
  type OpenMode,
} from '../port/fs-port.ts';

type FileNode = {
  readonly kind: 'file';
  bytes: Uint8Array;
  length: number;
  durable: Uint8Array;
  /** Datasync calls so far, and the call whose view `durable` holds (a later call's view wins). */
  syncCalls: number;
  durableCall: number;
  mtimeMs: number;
};
type DirNode = {
  readonly kind: 'dir';
  entries: Map<string, Node>;
  durable: Map<string, Node>;
};
type Node = FileNode | DirNode;

export type CrashOptions = {
  /** Keep a random prefix of unsynced appended bytes (a torn write). Default false. */
  readonly torn?: boolean;
  /**
   * Keep a random subset of the 4 KiB pages of unsynced appended bytes, the others read back as
   * zeros, and a random file length (as LazyFS, or a disk after a power cut: the kernel writes
   * pages back in any order, so a later page of a write can land without an earlier one).
   * Takes precedence over `torn`. Default false.
   */
  readonly pages?: boolean;
  /**
   * 'durable' (default): names not made durable by syncDir vanish.
   * 'volatile': every name survives as last seen (metadata flushed early); file bytes still
   * fall back to what datasync made durable.
   */
  readonly names?: 'durable' | 'volatile';
  /** Source of randomness in [0, 1) for torn lengths. */
  readonly random?: () => number;
};

/** Thrown by every call once the filesystem is frozen (the simulated process is dead). */
export const CRASHED = 'ECRASHED';

export class CrashFs implements FsPort {
  readonly #root: DirNode = { kind: 'dir', entries: new Map(), durable: new Map() };
  #generation = 0;
  #mutations = 0;
  #freezeAt = Number.POSITIVE_INFINITY;
  /** Milliseconds a datasync takes (0: resolves on the next macrotask). */
  syncDelayMs = 0;

  /** Mutating calls so far (writes, syncs, truncates, creates, renames, unlinks, mkdirs). */
  get mutations(): number {
    return this.#mutations;
  }

  /** Let `n` more mutating calls succeed, then fail everything (until `crash()`). */
  freezeAfter(n: number): void {
    this.#freezeAt = this.#mutations + n;
  }

  get frozen(): boolean {
    return this.#mutations >= this.#freezeAt;
  }

  /**
   * A view of this disk for one simulated process: once `crash()` runs, every call through the
   * view fails, so an abandoned store instance can never touch the disk its successor recovers.
   */
  session(): FsPort {
    const generation = this.#generation;
    const alive = () => {
      if (this.#generation !== generation) throw fsError(CRASHED, 'this process died in a crash');
    };
    const guard =
      <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        alive();
        return fn(...args);
      };
    return {
      open: guard((path: string, mode: OpenMode) => this.open(path, mode)),
      readFile: guard((path: string) => this.readFile(path)),
      stat: guard((path: string) => this.stat(path)),
      readdir: guard((path: string) => this.readdir(path)),
      mkdir: guard((path: string) => this.mkdir(path)),
      rename: guard((from: string, to: string) => this.rename(from, to)),
      link: guard((existing: string, to: string) => this.link(existing, to)),
      unlink: guard((path: string) => this.unlink(path)),
      syncDir: guard((path: string) => this.syncDir(path)),
    };
  }

  /**
   * Drop everything that was not made durable; old handles stop working. Returns, per file that
   * kept some unsynced bytes, what it kept (its synced length, new length, and zero-filled holes).
   */
  crash(options: CrashOptions = {}): Map<string, KeptBytes> {
    const random = options.random ?? Math.random;
    const mode = options.pages ? 'pages' : options.torn ? 'prefix' : 'none';
    this.#generation += 1;
    this.#freezeAt = Number.POSITIVE_INFINITY;
    this.diedDuring = null;
    const kept = new Map<string, KeptBytes>();
    const visit = (dir: DirNode, path: string) => {
      if (options.names !== 'volatile') dir.entries = new Map(dir.durable);
      dir.durable = new Map(dir.entries);
      for (const [name, node] of dir.entries) {
        if (node.kind === 'dir') visit(node, `${path}/${name}`);
        else {
          const what = crashFile(node, mode, random);
          if (what) kept.set(`${path}/${name}`, what);
        }
      }
    };
    visit(this.#root, '');
    return kept;
  }

  /** The first call refused after the freeze (what the simulated process was doing when it died). */
  diedDuring: string | null = null;

  #mutate(what: string): void {
    if (this.#mutations >= this.#freezeAt) {
      this.diedDuring ??= what;
      throw fsError(CRASHED, `${what}: process is dead`);
    }
    this.#mutations += 1;
  }

  #split(path: string): string[] {
    return path.split('/').filter((s) => s !== '' && s !== '.');
  }

  #lookup(path: string): Node | undefined {
    let node: Node = this.#root;
    for (const part of this.#split(path)) {
      if (node.kind !== 'dir') return undefined;
      const next = node.entries.get(part);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  #parent(path: string): { dir: DirNode; name: string } {
    const parts = this.#split(path);
    const name = parts.pop();
    const dir = this.#lookup(parts.join('/'));
    if (!name || !dir || dir.kind !== 'dir') throw fsError('ENOENT', `no directory for ${path}`);
    return { dir, name };
  }

  async open(path: string, mode: OpenMode): Promise<FsHandle> {
    let node = this.#lookup(path);
    if (node?.kind === 'dir') throw fsError('EISDIR', path);
    if (mode === 'wx' && node) throw fsError('EEXIST', path);
    if (!node) {
      if (mode === 'r' || mode === 'r+') throw fsError('ENOENT', path);
      const { dir, name } = this.#parent(path);
      this.#mutate(`create ${path}`);
      node = newFile();
      dir.entries.set(name, node);
    } else if (mode === 'w') {
      this.#mutate(`truncate ${path}`);
      node.length = 0;
    }
    return new CrashHandle(this, node, this.#generation, mode !== 'r', path);
  }

  async readFile(path: string): Promise<Uint8Array | null> {
    const node = this.#lookup(path);
    if (!node) return null;
    if (node.kind !== 'file') throw fsError('EISDIR', path);
    return node.bytes.slice(0, node.length);
  }

  async stat(path: string): Promise<FileStat | null> {
    const node = this.#lookup(path);
    if (!node) return null;
    return node.kind === 'file'
      ? { size: node.length, isFile: true, isDirectory: false, mtimeMs: node.mtimeMs }
      : { size: 0, isFile: false, isDirectory: true, mtimeMs: 0 };
  }

  async readdir(path: string): Promise<string[]> {
    const node = this.#lookup(path);
    return node?.kind === 'dir' ? [...node.entries.keys()].sort() : [];
  }

  async mkdir(path: string): Promise<void> {
    let dir = this.#root;
    for (const part of this.#split(path)) {
      const next = dir.entries.get(part);
      if (next?.kind === 'file') throw fsError('EEXIST', path);
      if (next) {
        dir = next;
        continue;
      }
      this.#mutate(`mkdir ${path}`);
      const created: DirNode = { kind: 'dir', entries: new Map(), durable: new Map() };
      dir.entries.set(part, created);
      dir = created;
    }
  }

  async rename(from: string, to: string): Promise<void> {
    const node = this.#lookup(from);
    if (!node) throw fsError('ENOENT', from);
    const source = this.#parent(from);
    const target = this.#parent(to);
    this.#mutate(`rename ${from}`);
    source.dir.entries.delete(source.name);
    target.dir.entries.set(target.name, node);
  }

  async link(existing: string, to: string): Promise<void> {
    const node = this.#lookup(existing);
    if (!node) throw fsError('ENOENT', existing);
    if (node.kind === 'dir') throw fsError('EPERM', existing);
    if (this.#lookup(to)) throw fsError('EEXIST', to);
    const target = this.#parent(to);
    this.#mutate(`link ${to}`);
    target.dir.entries.set(target.name, node);
  }

  async unlink(path: string): Promise<void> {
    const node = this.#lookup(path);
    if (!node) return;
    if (node.kind === 'dir') throw fsError('EISDIR', path);
    const { dir, name } = this.#parent(path);
    this.#mutate(`unlink ${path}`);
    dir.entries.delete(name);
  }

  async syncDir(path: string): Promise<void> {
    const node = this.#lookup(path);
    if (node?.kind !== 'dir') throw fsError('ENOENT', path);
    this.#mutate(`fsync dir ${path}`);
    node.durable = new Map(node.entries);
  }

  /** Internal: used by handles. */
  checkHandle(generation: number, what: string, mutating: boolean): void {
    if (generation !== this.#generation)
      throw fsError('EBADF', `${what}: handle from before a crash`);
    if (mutating) this.#mutate(what);
    else if (this.frozen) throw fsError(CRASHED, `${what}: process is dead`);
  }
}

class CrashHandle implements FsHandle {
  readonly #fs: CrashFs;
  readonly #node: FileNode;
  readonly #generation: number;
  readonly #writable: boolean;
  readonly #path: string;
  constructor(fs: CrashFs, node: FileNode, generation: number, writable: boolean, path: string) {
    this.#path = path;
    this.#fs = fs;
    this.#node = node;
    this.#generation = generation;
    this.#writable = writable;
  }
  async write(data: Uint8Array, position: number): Promise<void> {
    this.writeNow(data, position);
  }
  writeNow(data: Uint8Array, position: number): void {
    if (!this.#writable) throw fsError('EBADF', 'handle is read-only');
    this.#fs.checkHandle(this.#generation, `write ${this.#path}`, true);
    const node = this.#node;
    const end = position + data.length;
    if (end > node.bytes.length) {
      const grown = new Uint8Array(Math.max(end, node.bytes.length * 2, 4096));
      grown.set(node.bytes.subarray(0, node.length));
      node.bytes = grown;
    }
    if (position > node.length) node.bytes.fill(0, node.length, position);
    node.bytes.set(data, position);
    node.length = Math.max(node.length, end);
    node.mtimeMs = Date.now();
  }
  async read(into: Uint8Array, offset: number, length: number, position: number) {
    this.#fs.checkHandle(this.#generation, `read ${this.#path}`, false);
    const node = this.#node;
    const count = Math.max(0, Math.min(length, node.length - position));
    into.set(node.bytes.subarray(position, position + count), offset);
    return count;
  }
  /**
   * Makes durable what was written before the call, as fdatasync promises: bytes written while
   * it runs (a next group, written while this one syncs) stay unsynced until a later sync.
   */
  async datasync(): Promise<void> {
    const node = this.#node;
    const call = ++node.syncCalls;
    const view = node.bytes.slice(0, node.length);
    const delay = this.#fs.syncDelayMs;
    await new Promise((resolve) =>
      delay > 0 ? setTimeout(resolve, delay) : setImmediate(resolve),
    );
    this.#fs.checkHandle(this.#generation, `datasync ${this.#path}`, true);
    if (call < node.durableCall) return;
    node.durable = view;
    node.durableCall = call;
  }
  async truncate(length: number): Promise<void> {
    this.#fs.checkHandle(this.#generation, `truncate ${this.#path}`, true);
    const node = this.#node;
    if (length > node.length) {
      const grown = new Uint8Array(length);
      grown.set(node.bytes.subarray(0, node.length));
      node.bytes = grown;
    }
    node.length = length;
  }
  async size() {
    this.#fs.checkHandle(this.#generation, `fstat ${this.#path}`, false);
    return this.#node.length;
  }
  async close(): Promise<void> {}
}

function newFile(): FileNode {
  return {
    kind: 'file',
    bytes: new Uint8Array(0),
    length: 0,
    durable: new Uint8Array(0),
    syncCalls: 0,
    durableCall: 0,
    mtimeMs: Date.now(),
  };
}

/** What a crash kept of a file's unsynced bytes. */
export type KeptBytes = {
  /** Bytes made durable by the last datasync. */
  readonly synced: number;
  /** The file's length after the crash. */
  readonly length: number;
  /** [from, to) ranges of unsynced bytes that read back as zeros (pages never written). */
  readonly holes: readonly (readonly [number, number])[];
  /** The file as the process saw it before the crash. */
  readonly written: Uint8Array;
};

export const PAGE_BYTES = 4096;

function crashFile(
  node: FileNode,
  mode: 'none' | 'prefix' | 'pages',
  random: () => number,
): KeptBytes | null {
  const { durable } = node;
  const written = node.bytes.slice(0, node.length);
  let keep = durable;
  let kept: KeptBytes | null = null;
  const extends_ = node.length > durable.length && startsWith(node.bytes, durable);
  if (mode === 'prefix' && extends_) {
    const extra = Math.floor(random() * (node.length - durable.length + 1));
    keep = node.bytes.slice(0, durable.length + extra);
    if (extra > 0) kept = { synced: durable.length, length: keep.length, holes: [], written };
  } else if (mode === 'pages' && extends_) {
    // The length that reached the disk: all of it, or anything in between.
    const length =
      random() < 0.5
        ? node.length
        : durable.length + Math.floor(random() * (node.length - durable.length + 1));
    keep = node.bytes.slice(0, length);
    const holes: [number, number][] = [];
    for (let from = durable.length; from < length; ) {
      const to = Math.min(length, (Math.floor(from / PAGE_BYTES) + 1) * PAGE_BYTES);
      if (random() < 0.5) {
        keep.fill(0, from, to);
        const previous = holes.at(-1);
        if (previous && previous[1] === from) previous[1] = to;
        else holes.push([from, to]);
      }
      from = to;
    }
    if (length > durable.length) kept = { synced: durable.length, length, holes, written };
  }
  node.bytes = keep.slice();
  node.length = keep.length;
  node.durable = keep.slice();
  return kept;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}
