import type { Plugin } from 'esbuild';

/** The store's snapshot worker: the CLI bundle's second entry point (it runs in a worker thread). */
export declare const SNAPSHOT_WORKER_SOURCE: string;

/** `@lenslet/*` imports from the packages' sources (by their `exports`); other bare imports external. */
export declare function workspaceSources(): Plugin;

export type NodeBundleOptions = {
  readonly entryPoints: Record<string, string> | string[];
  /** One output per entry point, named `<key>.mjs`. */
  readonly outdir?: string;
  /** The output of a single entry point. */
  readonly outfile?: string;
  /** Write a linked source map (default false). */
  readonly sourcemap?: boolean;
};

/** Bundle Node entry points as `npm run build` ships the CLI (ESM, node20, npm packages external). */
export declare function bundleForNode(options: NodeBundleOptions): Promise<void>;
