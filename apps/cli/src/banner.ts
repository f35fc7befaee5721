/**
 * The start-up banner of `lenslet serve`: where to open the gallery, what it serves, and where
 * labels go — with a loud warning when they go nowhere durable, and what start-up recovery did
 * to the label log (an interrupted write cut; the background check of old history).
 */
import type { Integrity } from '@lenslet/core';
import type { ServerUrls } from './network.ts';
import { withToken } from './network.ts';

export type BannerInput = {
  readonly version: string;
  /** 'demo' | what is served: '/data/photos', or 'cats=/data/cats, dogs=/data/dogs'. */
  readonly serving: string;
  readonly urls: ServerUrls;
  readonly token: string | null;
  readonly token_origin: 'flag' | 'generated' | 'remembered' | null;
  readonly items: number;
  readonly folders: number;
  readonly skipped: Readonly<Record<string, number>>;
  readonly workspace: string | null;
  /** Labels in a database shared by replicas ('PostgreSQL postgres://…, log …'), or null. */
  readonly store?: string | null;
  readonly durability: 'fsync' | 'relaxed' | 'memory';
  readonly ephemeral_reason: string | null;
  readonly read_only: boolean;
  readonly watch: { readonly mode: string; readonly reason: string | null };
  readonly port_note: string | null;
  /** The label log's integrity at start-up (null: labels in memory). */
  readonly integrity: Integrity | null;
};

const count = (n: number) => n.toLocaleString('en-US');

const SKIP_WORDS: Record<string, string> = {
  invalid_name: 'unusable names',
  duplicate_normalized: 'Unicode duplicate names',
  outside_root: 'symlinks leaving the folder',
  unreadable: 'unreadable files',
};

export function formatBanner(b: BannerInput): string {
  const lines: string[] = [];
  lines.push(
    `Lenslet ${b.version} — ${b.serving === 'demo' ? 'demo gallery' : `serving ${b.serving}`}`,
  );
  lines.push('');
  if (b.urls.local) lines.push(`  Local:      ${withToken(b.urls.local, b.token)}`);
  for (const url of b.urls.network) lines.push(`  Network:    ${withToken(url, b.token)}`);
  if (b.urls.public) lines.push(`  Public:     ${withToken(b.urls.public, b.token)}`);
  if (b.port_note) lines.push(`              (${b.port_note})`);
  lines.push('');
  const skipped = Object.entries(b.skipped).filter(([, n]) => n > 0);
  const skipText =
    skipped.length === 0
      ? ''
      : ` — skipped ${skipped.map(([k, n]) => `${count(n)} ${SKIP_WORDS[k] ?? k}`).join(', ')} (see /health)`;
  lines.push(
    `  Images:     ${count(b.items)} in ${count(b.folders)} folder${b.folders === 1 ? '' : 's'}${skipText}`,
  );
  const watch = b.watch.reason ? `${b.watch.mode} (${b.watch.reason})` : b.watch.mode;
  lines.push(`  Watching:   ${watch}`);
  if (b.store) {
    lines.push(`  Labels:     ${b.store} (every change is committed before it is acknowledged)`);
  } else if (b.durability === 'memory') {
    lines.push(`  Labels:     in memory only`);
  } else {
    const how =
      b.durability === 'fsync'
        ? 'fsync: every change is on disk before it is acknowledged'
        : 'relaxed: changes reach the disk within moments; a power cut can lose the last ones';
    lines.push(`  Labels:     ${b.workspace} (${how})`);
  }
  lines.push(...integrityLines(b.integrity));
  if (b.read_only) lines.push('  Read-only:  nobody can change labels or views (--read-only)');
  if (b.token_origin === 'generated') {
    lines.push(
      '  Access:     the links above carry a new access token; share a link, not this terminal',
    );
  } else if (b.token_origin === 'remembered') {
    lines.push('  Access:     the links above carry the token this workspace used last time');
  } else if (b.token_origin === 'flag') {
    lines.push('  Access:     the links above carry the token from --token / LENSLET_TOKEN');
  }
  if (b.durability === 'memory') {
    lines.push('');
    lines.push('  !!! LABELS ARE NOT SAVED !!!');
    lines.push(`  !!! ${b.ephemeral_reason ?? 'labels are kept in memory only'}.`);
    lines.push('  !!! Every star, tag and note is lost when this server stops.');
  }
  lines.push('');
  lines.push('Press Ctrl-C to stop.');
  return `${lines.join('\n')}\n`;
}

/** What recovery cut (never-acknowledged writes) and where the check of old history stands. */
function integrityLines(integrity: Integrity | null): string[] {
  if (integrity === null) return [];
  const lines: string[] = [];
  const { recovered, history } = integrity;
  if (recovered) {
    lines.push(
      `  Recovered:  cut an interrupted write (${count(recovered.bytes)} bytes, ${count(recovered.records)} never-acknowledged change${recovered.records === 1 ? '' : 's'}) from the end of the log; kept in ${recovered.quarantine}; every acknowledged change is kept`,
    );
  }
  if (history.state === 'pending' || history.state === 'checking') {
    lines.push(
      `  History:    checking seqs up to ${count(history.through_seq)} in the background (result in /health)`,
    );
  } else if (history.state === 'damaged' || history.state === 'failed') {
    lines.push(`  History:    ${history.state}: ${history.problem}`);
  }
  return lines;
}
