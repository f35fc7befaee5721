/**
 * The original Lenslet's stored answers to PATCH requests, kept by an import so that a retry of
 * one of its requests (same Idempotency-Key) after the import answers as it answered, without
 * applying anything: `legacy/answers.json` =
 * `{"format":"lenslet.legacy-answers.v1","answers":[[key, status, body], …]}`, oldest first, at
 * most `LEGACY_ANSWERS_MAX` (the original's own limit). Written once by the import; read on open.
 */
import { type FsPort, writeFileAtomic } from '../port/fs-port.ts';
import { LEGACY_DIR } from '../workspace/layout.ts';
import type { LegacyAnswer } from './legacy-format.ts';

export const LEGACY_ANSWERS_FILE = 'answers.json';
const FORMAT = 'lenslet.legacy-answers.v1';

/** Write the answers into `legacyDir` durably (temp file + rename). */
export async function writeLegacyAnswers(
  fs: FsPort,
  legacyDir: string,
  answers: ReadonlyMap<string, LegacyAnswer>,
): Promise<void> {
  const rows = [...answers].map(([key, a]) => [key, a.status, a.body]);
  const text = `${JSON.stringify({ format: FORMAT, answers: rows })}\n`;
  await writeFileAtomic(fs, legacyDir, LEGACY_ANSWERS_FILE, Buffer.from(text));
}

/**
 * The answers an import kept in the workspace `dir` (empty when none, or when the file is not
 * one: it only ever answers retries, so an unreadable one costs nothing but those).
 */
export async function readLegacyAnswers(
  fs: FsPort,
  dir: string,
): Promise<ReadonlyMap<string, LegacyAnswer>> {
  const answers = new Map<string, LegacyAnswer>();
  const data = await fs.readFile(`${dir}/${LEGACY_DIR}/${LEGACY_ANSWERS_FILE}`).catch(() => null);
  if (!data) return answers;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return answers;
  }
  const doc = parsed as { format?: unknown; answers?: unknown };
  if (doc?.format !== FORMAT || !Array.isArray(doc.answers)) return answers;
  for (const row of doc.answers) {
    if (!Array.isArray(row) || row.length !== 3) continue;
    const [key, status, body] = row as [unknown, unknown, unknown];
    if (typeof key !== 'string' || !Number.isInteger(status)) continue;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) continue;
    answers.set(key, { status: status as number, body: body as Record<string, unknown> });
  }
  return answers;
}
