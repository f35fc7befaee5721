/** Help texts of every command, and the version. */
export const VERSION = '0.1.0';

export const HELP = {
  main: `lenslet ${VERSION} — a self-hosted image gallery for collaborative visual triage

Usage:
  lenslet [serve] [dir | table | name=dir ...] [options]
                                                   serve a folder or a table (.parquet .csv
                                                   .tsv .jsonl); no dir: a demo gallery
  lenslet compact [dir | --store <url>]            rotate, archive and snapshot the label log
  lenslet replay [dir | --store <url>] --until <seq|time>
                                                   labels as of a point in history
  lenslet migrate --from <dir|url> --to <dir|url>  copy a whole label log (and verify the copy)

Run "lenslet <command> --help" for the options of each command.
  -h, --help       show this help
  -v, --version    print the version
`,
  serve: `Usage: lenslet serve [dir | table | name=dir|table ...] [options]

Serve a folder of images, or a table of them, in the browser, for you and for colleagues on
the network.

  lenslet serve                         a small demo gallery (generated images, labels not kept)
  lenslet serve ~/photos                one folder; labels are kept in ~/photos/.lenslet/
  lenslet serve cats=/data/cats dogs=/data/dogs --workspace /data/labels
                                        several folders, shown as /cats and /dogs, with one
                                        shared workspace (name=dir is only read that way when
                                        no folder of that exact name exists)
  lenslet serve /data/scores.parquet    a table (.parquet .csv .tsv .jsonl), one item per row;
                                        labels in /data/scores.lenslet/; reloaded when rewritten
  lenslet serve ~/photos --table ~/photos/scores.parquet
                                        a folder with a table's columns joined by image path

Network and access:
  -p, --port <n>          port to listen on (default 7070, or the one this workspace used last;
                          the next free one if taken; 0 lets the system pick)
      --strict-port       fail instead of taking the next free port
  -H, --host <addr>       address to listen on (default 127.0.0.1: this machine only; 0.0.0.0
                          for colleagues on the network, who then need the printed link)
      --token <t>         access token (16+ characters of A-Z a-z 0-9 . _ ~ -). Generated when
                          --host is not loopback or --public-url is set, and remembered in the
                          workspace so links keep working across restarts
      --public-url <url>  the https://host this server is reached at behind a reverse proxy
      --open              open the gallery in the default browser

Labels and files:
      --no-write          keep labels in memory only (nothing is written next to the images)
      --read-only         nobody can change labels or views; browsing and presence still work
      --durability <m>    fsync (default): a change is on disk before it is acknowledged;
                          relaxed: acknowledged at once, written within moments
      --workspace <dir>   where labels, views and caches live (default <dir>/.lenslet; for a
                          table <table's folder>/<table name>.lenslet)
      --store <url>       keep labels and views in PostgreSQL instead of the workspace, e.g.
                          postgres://lenslet:secret@db1:5432,db2:5432/lenslet?target_session_attrs=read-write
                          Several servers started on the same folder and URL form one service
                          behind a load balancer (docs/deploy.md). The first start binds the
                          workspace to the database's label log (<workspace>/label-store.json);
                          a database holding another workspace's log is refused. A workspace
                          with labels of its own is copied first with "lenslet migrate".
      --watch <m>         native (default), poll (network and FUSE folders) or off
      --thumb-size <px>   thumbnail short edge, 32–2048 (default 256)
      --thumb-quality <q> thumbnail WebP quality, 1–100 (default 70)

Tables:
      --table <file>      join a table to the folder served, by relative image path
      --path-column <c>   the column naming each row's image (default: found by name: path,
                          image, image_path, file, filepath, filename, …)
      --root <dir>        folder a table's relative image paths resolve against (default: the
                          table's folder)
  -h, --help              show this help

Every option can also come from the environment: LENSLET_PORT, LENSLET_HOST, LENSLET_TOKEN,
LENSLET_PUBLIC_URL, LENSLET_NO_WRITE=1, LENSLET_READ_ONLY=1, LENSLET_DURABILITY, LENSLET_WATCH,
LENSLET_WORKSPACE, LENSLET_STORE, LENSLET_THUMB_SIZE, LENSLET_THUMB_QUALITY,
LENSLET_STRICT_PORT=1, LENSLET_OPEN=1, LENSLET_TABLE, LENSLET_PATH_COLUMN, LENSLET_ROOT.
A flag wins over the environment.

Ctrl-C stops the server after the last labels are on disk; press it twice to force.
`,
  compact: `Usage: lenslet compact [dir] [--repair]
       lenslet compact --store <url>

Compact the label log of a workspace: the live log is rotated into a gzip archive under
.lenslet/archive/ and a fresh snapshot is written, so the server starts fast. History is kept:
archives are never deleted, and "lenslet replay" still reaches every record.

  dir          the folder you served, or its .lenslet directory (default: the current directory)

When a Lenslet server holds the workspace, compact asks that server to do it (over its
local-only admin route); if it cannot reach it, it names the server's pid and URL and exits 1.

  --repair     salvage a damaged log (after "lenslet replay --verify" reported problems): every
               record that still decodes is kept and renumbered; lines that do not are dropped;
               all original files are first moved to .lenslet/quarantine/. Needs the workspace
               free (stop the server first).
  --store <url>  the label log in PostgreSQL (default: LENSLET_STORE): save a snapshot of the
               head there (replicas start from it) and forget idempotency keys past the horizon.
               Records are never deleted. Safe while replicas run.
  -h, --help   show this help

Exit codes: 0 done, 1 the workspace is busy or damaged, 2 wrong usage.
`,
  replay: `Usage: lenslet replay [dir] [--until <seq|time>] [--format json|csv] [--path <p>] [--verify]
                      [--store <url>]

Print the labels as they were at a point in history, folded from the archives, the snapshot
and the log. Reads only: it takes no lock and repairs nothing, so it is safe while a server runs.

  dir                  the folder you served, or its .lenslet directory (default: current dir)
  --until <seq|time>   a seq (e.g. 1200) or an ISO time (e.g. 2026-03-01T12:00:00Z; without a
                       zone it is local time); default: now
  --format json|csv    json (default): {"seq":N,"items":{"/a.jpg":{star,tags,notes,metrics,
                       version,updated_at,updated_by}}}, labeled images only, sorted by path.
                       csv: the same columns as the server's export; "present" says whether
                       the image still exists (empty when dir is not the image folder)
  --path <p>           instead, print the history of one image, one record per line (JSON)
  --verify             re-fold the whole log from its first seq, check every crc, that no seq is
                       missing, that the snapshot and the archive indexes match the log, and
                       that a server would recover the same labels; exit 1 on any problem
  --store <url>        read the label log in PostgreSQL instead of a workspace (default:
                       LENSLET_STORE); dir is then only the image folder, for csv's "present".
                       --verify also checks the snapshots and idempotency keys in the database
  -h, --help           show this help

Exit codes: 0 done, 1 no workspace or a problem found, 2 wrong usage.
`,
  migrate: `Usage: lenslet migrate --from <dir|url> --to <dir|url>

Copy a whole label log from a workspace or a PostgreSQL database into an empty workspace or
database: every record (the whole history), the idempotency keys (a request retried after the
move is still answered from its record), the log id (so browsers keep their place) and the saved
views. Then verify the copy: "lenslet replay --format json" of the destination must equal the
source's, byte for byte.

  --from <dir|url>   the folder you served (or its .lenslet directory), or a postgres:// URL
  --to <dir|url>     a folder (its .lenslet/ must hold no labels) or a postgres:// URL whose
                     database holds no labels yet (Lenslet creates its tables)
  -h, --help         show this help

Stop the servers on the source first: records written during the copy are not copied. A
workspace source is locked while it is read. Moving a gallery to PostgreSQL:
  lenslet migrate --from ~/photos --to postgres://lenslet@db/lenslet
  lenslet serve ~/photos --store postgres://lenslet@db/lenslet

Exit codes: 0 copied and verified, 1 a problem (the message says which; never use a copy that
failed its verification), 2 wrong usage.
`,
};
