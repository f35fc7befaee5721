/**
 * The little a workspace remembers about its server between runs (`<workspace>/server.json`):
 * the port it last listened on, so the gallery keeps its URL (and its browser tabs, bookmarks and
 * colleagues' links keep working), and the token it generated for network access, so those links
 * survive a restart. The file is private (0600) because the token grants access.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const SERVER_STATE_FILE = 'server.json';

const stateSchema = z.object({
  port: z.number().int().min(1).max(65535).optional(),
  token: z.string().optional(),
});

export type ServerState = z.infer<typeof stateSchema>;

/** The remembered state, or {} when there is none or it is unreadable (it is only a preference). */
export async function readServerState(workspace: string): Promise<ServerState> {
  try {
    const parsed = stateSchema.safeParse(
      JSON.parse(await readFile(join(workspace, SERVER_STATE_FILE), 'utf8')),
    );
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Remember the state (best effort: a failure only costs the preference). */
export function writeServerState(workspace: string, state: ServerState): Promise<void> {
  return writePrivateJson(workspace, SERVER_STATE_FILE, state);
}

/**
 * Write `<dir>/<name>` as pretty JSON, private (0600), atomically (temp file, fsync, rename);
 * best effort: a failure leaves the old file and is not reported.
 */
export async function writePrivateJson(dir: string, name: string, value: unknown): Promise<void> {
  const file = join(dir, name);
  const temp = join(dir, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(value, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch {
    await unlink(temp).catch(() => {});
  }
}

/**
 * Make sure the workspace exists and can be written. Resolves to null when it can, or to a
 * human-readable reason when it cannot (the server then keeps labels in memory only).
 */
export async function probeWorkspace(workspace: string): Promise<string | null> {
  try {
    await mkdir(workspace, { recursive: true });
    const probe = join(workspace, `.write-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
    const handle = await open(probe, 'wx');
    await handle.close();
    await unlink(probe);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EROFS'
          ? 'read-only file system'
          : code === 'ENOSPC'
            ? 'disk full'
            : code;
    return `the workspace ${workspace} cannot be written (${why})`;
  }
}
