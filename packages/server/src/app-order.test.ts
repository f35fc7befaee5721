/**
 * The order of the express app's middleware, read from its router stack (express 5 internals:
 * `app.router.stack`, one layer per `app.use` or route), and the promise the fast lane rests on:
 * for a lane route, express runs nothing the lane does not also run. A middleware added with a
 * bare `app.use` ahead of the routes, or an extra error handler, fails here until it is declared
 * as a stage (stages.ts), which gives it a lane form too.
 */
import { openMemoryStore } from '@lenslet/store';
import { expect, test } from 'vitest';
import { createApp, type LensletApp } from './app.ts';
import { DEFAULT_CONFIG, type ServerConfig, type ServerDeps } from './context.ts';
import { mountedFrom } from './json-route.ts';
import { FakeGallery, noThumbnails } from './live-test-kit.ts';
import { LABEL_WRITES } from './routes/labels.ts';
import { appStages, stageOf } from './stages.ts';

type Layer = {
  readonly name: string;
  readonly handle: (...args: unknown[]) => unknown;
  readonly route?: {
    readonly path: string;
    readonly methods: Record<string, boolean>;
    readonly stack: readonly { readonly handle: unknown }[];
  };
  match(path: string): boolean;
};

function build(
  config: Partial<ServerConfig> = {},
  withFaults = false,
  extra: Partial<ServerDeps> = {},
): LensletApp {
  return createApp({
    ...extra,
    store: openMemoryStore(),
    gallery: new FakeGallery(['/a.jpg']),
    thumbnailer: noThumbnails,
    config: { ...DEFAULT_CONFIG, ...config },
    // Only makes the `/admin/faults` routes exist; no request here reaches it.
    ...(withFaults ? { faults: {} as NonNullable<ServerDeps['faults']> } : {}),
  });
}

function layers(lenslet: LensletApp): readonly Layer[] {
  return (lenslet.app as unknown as { router: { stack: Layer[] } }).router.stack;
}

/** A layer as a word: `route`, `stage:<name>`, or the middleware function's name. */
function label(layer: Layer): string {
  if (layer.route) return 'route';
  const stage = stageOf(layer.handle);
  return stage === undefined ? layer.handle.name || '(anonymous middleware)' : `stage:${stage}`;
}

/** The labels in order, with each run of routes collapsed into one `route`. */
function outline(lenslet: LensletApp): string[] {
  const words: string[] = [];
  for (const layer of layers(lenslet)) {
    const word = label(layer);
    if (word !== 'route' || words.at(-1) !== 'route') words.push(word);
  }
  return words;
}

const shared: Partial<ServerDeps> = { sync: async () => 0 };

const configs: [string, Partial<ServerConfig>, boolean, Partial<ServerDeps>][] = [
  ['defaults', {}, false, {}],
  [
    'every optional part',
    { token: 'order-token-0123456789', web_dir: '/tmp', read_only: true },
    true,
    {},
  ],
  ['a label log shared with other replicas', {}, false, shared],
];

test('express runs admin routes, then security, then the routes, then 404, then errors', async () => {
  const lenslet = build();
  try {
    expect(outline(lenslet)).toEqual([
      'route',
      'stage:security',
      'route',
      'notFound',
      'handleError',
    ]);
  } finally {
    await lenslet.close();
  }
});

test('with a log shared by replicas, the read stage runs after security', async () => {
  const lenslet = build({}, false, shared);
  try {
    expect(outline(lenslet)).toEqual([
      'route',
      'stage:security',
      'stage:read',
      'route',
      'notFound',
      'handleError',
    ]);
  } finally {
    await lenslet.close();
  }
});

test.each(configs)(
  'for a lane route, express runs only what the lane runs (%s)',
  async (_name, config, withFaults, extra) => {
    const lenslet = build(config, withFaults, extra);
    try {
      const stack = layers(lenslet);
      const lane = LABEL_WRITES.filter((route) => route.lane);
      expect(lane.length).toBeGreaterThan(0);
      for (const route of lane) {
        const method = route.method.toLowerCase();
        const at = stack.findIndex(
          (layer) => layer.route?.methods[method] === true && layer.match(route.path),
        );
        expect(at, `${route.method} ${route.path} is mounted`).toBeGreaterThan(0);
        const mounted = stack[at]!.route!.stack.at(-1)!.handle;
        expect(mountedFrom(mounted), `${route.method} ${route.path}: first match`).toBe(route);
        const before = stack.slice(0, at).filter((layer) => !layer.route);
        expect(
          before.map(label),
          `middleware ahead of ${route.method} ${route.path} must be declared stages`,
        ).toEqual(appStages(lenslet.context).map((stage) => `stage:${stage.name}`));
      }
      // The lane answers errors as this handler does (errors.ts `errorAnswer`): no other may run.
      const errorLayers = stack.filter((layer) => layer.handle.length === 4);
      expect(errorLayers.map(label)).toEqual(['handleError']);
      expect(stack.at(-1)).toBe(errorLayers[0]);
    } finally {
      await lenslet.close();
    }
  },
);
