/** Help texts of every command, and the version. */
export const VERSION = '0.1.0';

export const HELP = {
  main: `lenslet ${VERSION} — a self-hosted image gallery for collaborative visual triage

Usage:
  lenslet [serve] [dir | name=dir ...] [options]   serve a folder (no dir: a demo gallery)
  lenslet compact [dir]                            rotate, archive and snapshot the label log
  lenslet replay [dir] --until <seq|time>          labels as of a point in history

Run "lenslet <command> --help" for the options of each command.
  -h, --help       show this help
  -v, --version    print the version
`,
};
