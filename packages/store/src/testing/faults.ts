/**
 * Fault injection around any filesystem port (the crash double or the real disk): ENOSPC / EIO on
 * writes, syncs, truncates, creates, renames — switched on and off at runtime. A soak test can
 * wrap the real port inside a server process and flip faults while clients keep writing.
 */
import { type FsHandle, type FsPort, fsError } from '../port/fs-port.ts';

export type FaultOp = 'write' | 'datasync' | 'truncate' | 'open' | 'rename' | 'unlink' | 'syncDir';
export type FaultCode = 'ENOSPC' | 'EIO';

export type FaultRule = {
  readonly op: FaultOp;
  readonly code: FaultCode;
  /** Only paths containing this text (default: every path). */
  readonly path?: string;
  /** Fail this many calls, then switch the rule off (default: until cleared). */
  readonly times?: number;
  /** On a failing write, first write this share (0–1) of the bytes, like a short write. */
  readonly partial?: number;
};

/** A switchboard of active fault rules. */
export class FaultInjector {
  #rules: { rule: FaultRule; left: number }[] = [];
  /** Calls that failed because of a rule. */
  injected = 0;

  /** Add a rule (active immediately). */
  fail(rule: FaultRule): void {
    this.#rules.push({ rule, left: rule.times ?? Number.POSITIVE_INFINITY });
  }

  /** Switch every rule off. */
  clear(): void {
    this.#rules = [];
  }

  get active(): boolean {
    return this.#rules.length > 0;
  }

  /** The rule that fails this call, if any (and count it). */
  check(op: FaultOp, path: string): FaultRule | null {
    const hit = this.#rules.find((r) => r.rule.op === op && path.includes(r.rule.path ?? ''));
    if (!hit) return null;
    hit.left -= 1;
    if (hit.left <= 0) this.#rules = this.#rules.filter((r) => r !== hit);
    this.injected += 1;
    return hit.rule;
  }

  /** The port `inner` with these faults applied. */
  wrap(inner: FsPort): FsPort {
    const raise = (op: FaultOp, path: string) => {
      const rule = this.check(op, path);
      if (rule) throw fsError(rule.code, `injected ${op} failure on ${path}`);
    };
    return {
      open: async (path, mode, permissions) => {
        if (mode !== 'r') raise('open', path);
        return new FaultyHandle(this, path, await inner.open(path, mode, permissions));
      },
      readFile: (path) => inner.readFile(path),
      stat: (path) => inner.stat(path),
      readdir: (path) => inner.readdir(path),
      mkdir: (path) => inner.mkdir(path),
      rename: async (from, to) => {
        raise('rename', from);
        await inner.rename(from, to);
      },
      link: async (existing, to) => {
        raise('rename', to);
        await inner.link(existing, to);
      },
      unlink: async (path) => {
        raise('unlink', path);
        await inner.unlink(path);
      },
      syncDir: async (dir) => {
        raise('syncDir', dir);
        await inner.syncDir(dir);
      },
    };
  }
}

class FaultyHandle implements FsHandle {
  readonly #faults: FaultInjector;
  readonly #path: string;
  readonly #inner: FsHandle;
  constructor(faults: FaultInjector, path: string, inner: FsHandle) {
    this.#faults = faults;
    this.#path = path;
    this.#inner = inner;
  }
  async write(data: Uint8Array, position: number) {
    const rule = this.#faults.check('write', this.#path);
    if (rule) {
      const part = Math.floor(data.length * (rule.partial ?? 0));
      if (part > 0) await this.#inner.write(data.subarray(0, part), position);
      throw fsError(rule.code, `injected write failure on ${this.#path}`);
    }
    await this.#inner.write(data, position);
  }
  writeNow(data: Uint8Array, position: number): void {
    const rule = this.#faults.check('write', this.#path);
    if (rule) {
      const part = Math.floor(data.length * (rule.partial ?? 0));
      if (part > 0) this.#inner.writeNow(data.subarray(0, part), position);
      throw fsError(rule.code, `injected write failure on ${this.#path}`);
    }
    this.#inner.writeNow(data, position);
  }
  read(into: Uint8Array, offset: number, length: number, position: number) {
    return this.#inner.read(into, offset, length, position);
  }
  async datasync() {
    const rule = this.#faults.check('datasync', this.#path);
    if (rule) throw fsError(rule.code, `injected fdatasync failure on ${this.#path}`);
    await this.#inner.datasync();
  }
  async truncate(length: number) {
    const rule = this.#faults.check('truncate', this.#path);
    if (rule) throw fsError(rule.code, `injected truncate failure on ${this.#path}`);
    await this.#inner.truncate(length);
  }
  size() {
    return this.#inner.size();
  }
  close() {
    return this.#inner.close();
  }
}
