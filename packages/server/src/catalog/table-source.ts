/**
 * One served table file: loaded once at start (a failure is the caller's error), then watched —
 * its size, mtime and inode polled — and reloaded in place when it is rewritten: the new version
 * replaces the old one only once it parsed completely (`generation` + 1, a `table-updated` with
 * the rows added, removed and changed); a version that fails to parse leaves the last good one
 * served and says why (`state: "error"`, `error`, and a `table-updated` with `state: "error"`).
 * A file that changes while being written is read once it stopped changing for one poll.
 * After each load the rows' files are checked in the background (file-facts.ts).
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CanonicalPath, TableStatus, TableUpdated } from '@lenslet/core';
import { readTable, type Table, tableFormat } from '@lenslet/table';
import { FileFacts } from './file-facts.ts';
import { diffTables } from './row-diff.ts';

export type TableSourceOptions = {
  /** Absolute path of the table file. */
  readonly file: string;
  /** Where its items are served: `/` (table mode) or `/<name>` (dataset mode). */
  readonly prefix: CanonicalPath;
  readonly path_column?: string | null;
  /** Folder that relative image paths resolve against (the table's folder or `--root`). */
  readonly root: string;
  /** Check each row's file in the background (not for a table joined to a folder). */
  readonly check_files: boolean;
  /** `off`: never reload; otherwise the file is polled. */
  readonly watch: 'native' | 'poll' | 'off';
  readonly poll_interval_ms?: number;
  readonly clock?: () => Date;
};

export type LoadedTable = {
  readonly table: Table;
  readonly generation: number;
  readonly facts: FileFacts | null;
  readonly loaded_at: string;
};

type Signature = { size: number; mtime: number; ino: number };

const sameSignature = (a: Signature | null, b: Signature | null) =>
  a !== null && b !== null && a.size === b.size && a.mtime === b.mtime && a.ino === b.ino;

async function signatureOf(file: string): Promise<Signature | null> {
  const s = await stat(file).catch(() => null);
  return s === null ? null : { size: s.size, mtime: s.mtimeMs, ino: s.ino };
}

export const DEFAULT_TABLE_POLL_MS = 1000;

export class TableSource {
  readonly options: TableSourceOptions;
  #current: LoadedTable;
  #error: string | null = null;
  #loaded: Signature | null;
  #seen: Signature | null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #reloading: Promise<void> | null = null;
  #factsRun: Promise<void> = Promise.resolve();
  readonly #listeners = new Set<(update: TableUpdated) => void>();
  readonly #changes = new Set<() => void>();

  private constructor(options: TableSourceOptions, table: Table, signature: Signature | null) {
    this.options = options;
    this.#loaded = signature;
    this.#seen = signature;
    this.#current = this.#adopt(table, 1);
  }

  /** Load the table (an `invalid_table` error when it cannot be used) and start watching. */
  static async open(options: TableSourceOptions): Promise<TableSource> {
    const signature = await signatureOf(options.file);
    const table = await TableSource.#read(options);
    const source = new TableSource(options, table, signature);
    if (options.watch !== 'off') {
      const interval = options.poll_interval_ms ?? DEFAULT_TABLE_POLL_MS;
      source.#timer = setInterval(() => void source.#poll(), interval);
      source.#timer.unref();
    }
    return source;
  }

  static #read(options: TableSourceOptions): Promise<Table> {
    return readTable(options.file, {
      path_column: options.path_column ?? null,
      base_dir: options.root,
    });
  }

  #adopt(table: Table, generation: number): LoadedTable {
    const probe = table.well_known.width === undefined || table.well_known.height === undefined;
    const facts = this.options.check_files ? new FileFacts(table, this.options.root, probe) : null;
    if (facts) {
      this.#factsRun = facts.run().then(() => {
        if (facts.done) for (const listener of this.#changes) listener();
      });
    }
    const now = (this.options.clock ?? (() => new Date()))();
    return { table, generation, facts, loaded_at: now.toISOString() };
  }

  current(): LoadedTable {
    return this.#current;
  }

  /** Resolves when the current version's files have all been checked. */
  factsChecked(): Promise<void> {
    return this.#factsRun;
  }

  /** Called after each reload attempt (success or failure). Returns unsubscribe. */
  onUpdate(listener: (update: TableUpdated) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Called whenever the served rows or their values change (reloads, files checked). */
  onChange(listener: () => void): () => void {
    this.#changes.add(listener);
    return () => this.#changes.delete(listener);
  }

  async #poll(): Promise<void> {
    if (this.#reloading) return;
    const now = await signatureOf(this.options.file);
    const stable = sameSignature(now, this.#seen);
    this.#seen = now;
    if (now === null || !stable || sameSignature(now, this.#loaded)) return;
    await this.reload();
  }

  /** Reload now if the file changed since it was last read (`POST /refresh`); else nothing. */
  async check(): Promise<void> {
    await this.#reloading;
    const now = await signatureOf(this.options.file);
    if (now !== null && !sameSignature(now, this.#loaded)) await this.reload();
  }

  /** Read the file again now; keeps the served version when it cannot be read. */
  reload(): Promise<void> {
    this.#reloading ??= this.#reload().finally(() => {
      this.#reloading = null;
    });
    return this.#reloading;
  }

  async #reload(): Promise<void> {
    const signature = await signatureOf(this.options.file);
    const before = this.#current;
    let update: TableUpdated;
    try {
      const table = await TableSource.#read(this.options);
      const diff = diffTables(before.table, table);
      before.facts?.stop();
      this.#current = this.#adopt(table, before.generation + 1);
      this.#error = null;
      update = { ...this.#base(), state: 'ready', ...diff, error: null };
    } catch (error) {
      this.#error = error instanceof Error ? error.message : String(error);
      update = {
        ...this.#base(),
        state: 'error',
        added: 0,
        removed: 0,
        changed: 0,
        error: this.#error,
      };
    }
    this.#loaded = signature;
    for (const listener of this.#listeners) listener(update);
    if (update.state === 'ready') for (const listener of this.#changes) listener();
  }

  #base() {
    return {
      prefix: this.options.prefix,
      generation: this.#current.generation,
      rows: this.#current.table.row_count,
    };
  }

  /** The `/health` entry of this table (`file` added by the route for local requests). */
  status(): Omit<TableStatus, 'file'> {
    const { table, generation, facts, loaded_at } = this.#current;
    return {
      prefix: this.options.prefix,
      name: basename(this.options.file),
      format: tableFormat(this.options.file) ?? table.format,
      state: this.#error === null ? 'ready' : 'error',
      generation,
      rows: table.row_count,
      path_column: table.path_column,
      missing_files: facts === null ? 0 : facts.done ? facts.missing : null,
      files_checked: facts === null ? table.row_count : facts.checked,
      skipped: { ...table.skipped.counts },
      error: this.#error,
      loaded_at,
    };
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#current.facts?.stop();
    await this.#reloading?.catch(() => {});
    this.#listeners.clear();
    this.#changes.clear();
  }
}
