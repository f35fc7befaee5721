/** What every step of recovery works with: the workspace, the time, and how to warn. */
import type { FsPort } from '../port/fs-port.ts';

export type RecoveryContext = {
  readonly fs: FsPort;
  /** The `.lenslet` directory. */
  readonly dir: string;
  readonly now: Date;
  readonly warn: (message: string) => void;
  /** `lenslet replay`: change nothing on disk, only report. */
  readonly readOnly: boolean;
};
