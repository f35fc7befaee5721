import { expect, test } from 'vitest';
import { type BannerInput, formatBanner } from './banner.ts';

const base: BannerInput = {
  version: '1.0.0',
  serving: '/data/photos',
  urls: { local: 'http://127.0.0.1:7070/', network: [], public: null },
  token: null,
  token_origin: null,
  items: 12345,
  folders: 87,
  skipped: { invalid_name: 0, duplicate_normalized: 0, outside_root: 0, unreadable: 2 },
  workspace: '/data/photos/.lenslet',
  durability: 'fsync',
  ephemeral_reason: null,
  read_only: false,
  watch: { mode: 'native', reason: null },
  port_note: null,
  integrity: { recovered: null, history: { state: 'ok', through_seq: 0, problem: null } },
};

test('a durable server: URL, counts, workspace and durability, no warning', () => {
  const text = formatBanner(base);
  expect(text).toContain('Local:      http://127.0.0.1:7070/\n');
  expect(text).toContain(
    'Images:     12,345 in 87 folders — skipped 2 unreadable files (see /health)',
  );
  expect(text).toContain('Labels:     /data/photos/.lenslet (fsync: every change is on disk');
  expect(text).not.toContain('NOT SAVED');
});

test('memory labels get a loud warning with the reason', () => {
  const text = formatBanner({
    ...base,
    durability: 'memory',
    ephemeral_reason: 'the server was started with --no-write',
  });
  expect(text).toContain('!!! LABELS ARE NOT SAVED !!!');
  expect(text).toContain('!!! the server was started with --no-write.');
  expect(text).toContain('Labels:     in memory only');
});

test('network links carry the token', () => {
  const text = formatBanner({
    ...base,
    urls: { local: 'http://127.0.0.1:7070/', network: ['http://10.0.0.2:7070/'], public: null },
    token: 'tok-0123456789abcdef',
    token_origin: 'generated',
    watch: { mode: 'poll', reason: 'network filesystem' },
  });
  expect(text).toContain('Network:    http://10.0.0.2:7070/?token=tok-0123456789abcdef');
  expect(text).toContain('Local:      http://127.0.0.1:7070/?token=tok-0123456789abcdef');
  expect(text).toContain('Watching:   poll (network filesystem)');
  expect(text).toContain('new access token');
});

test('an interrupted write cut at start-up and the history check are in the banner', () => {
  const text = formatBanner({
    ...base,
    integrity: {
      recovered: {
        at: '2026-03-01T09:00:00.000Z',
        message: 'labels.log.jsonl ends with 6144 bytes of an interrupted write',
        bytes: 6144,
        records: 3,
        quarantine: 'quarantine/20260301T090000-labels.log.jsonl@4096.bin',
      },
      history: { state: 'checking', through_seq: 120000, problem: null },
    },
  });
  expect(text).toContain(
    'Recovered:  cut an interrupted write (6,144 bytes, 3 never-acknowledged changes) from the end of the log; kept in quarantine/20260301T090000-labels.log.jsonl@4096.bin',
  );
  expect(text).toContain('History:    checking seqs up to 120,000 in the background');
  expect(formatBanner(base)).not.toMatch(/Recovered:|History:/);
});
