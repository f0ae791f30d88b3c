import { type ErrorCode, errorMessage, NewsarkError } from "../model/errors.js";
import { VERSION } from "../version.js";
import { type CliIO, type Command, processIO } from "./io.js";

/** Each command loads only its own module, so start-up stays lean. */
export const commands: Record<
  string,
  { usage: string; summary: string; load: () => Promise<{ command: Command }> }
> = {
  init: {
    usage: "init [DIR]",
    summary: "write a ready archive: newsark.yaml, an hourly workflow, a README",
    load: () => import("./commands/init.js"),
  },
  run: {
    usage: "run [--config F] [--source ID…] [--commit] [--push] [--json] [--quiet]",
    summary: "fetch every source once; archive what is new or changed",
    load: () => import("./commands/run.js"),
  },
  parse: {
    usage: "parse FILE|URL [--json]",
    summary: "read one feed and show what newsark sees in it",
    load: () => import("./commands/parse.js"),
  },
  reindex: {
    usage: "reindex [--config F] [--state]",
    summary: "rebuild the search catalog (and with --state, state/) from the article files",
    load: () => import("./commands/reindex.js"),
  },
  search: {
    usage: "search QUERY [--source ID] [--since D] [--until D] [--limit N] [--json]",
    summary: "search titles and texts; 台湾 also finds 臺灣",
    load: () => import("./commands/search.js"),
  },
  history: {
    usage: "history SOURCE/N [--diff A..B] [--json]",
    summary: "the versions of an article and what changed",
    load: () => import("./commands/history.js"),
  },
  check: {
    usage: "check [--source ID] [--since 30d] [--limit N] [--json]",
    summary: "ask the sources for archived articles again: alive, gone, moved, changed",
    load: () => import("./commands/check.js"),
  },
  build: {
    usage: "build [--out site/]",
    summary: "write the static site and the feeds of the archive",
    load: () => import("./commands/build.js"),
  },
  serve: {
    usage: "serve [--port N] [--host H]",
    summary: "serve the site and a JSON search API",
    load: () => import("./commands/serve.js"),
  },
  verify: {
    usage: "verify [--sample N] [--json]",
    summary: "re-hash the stored images against their records; exit 6 when any is missing or altered",
    load: () => import("./commands/verify.js"),
  },
  media: {
    usage: "media migrate --to s3",
    summary: "move the images in images/ into the S3 media store, verifying each",
    load: () => import("./commands/media.js"),
  },
  publish: {
    usage: "publish [--site DIR] [--json]",
    summary: "upload the built site to the publish: bucket; only what changed",
    load: () => import("./commands/publish.js"),
  },
  status: {
    usage: "status [--json]",
    summary:
      "per source counts and freshness, sizes, the media store, growth and when the repo passes 1 GB / 5 GB",
    load: () => import("./commands/status.js"),
  },
  demo: {
    usage: "demo [DIR] [--no-serve]",
    summary: "archive the bundled sample feeds offline into ./demo-archive and serve the site",
    load: () => import("./commands/demo.js"),
  },
};

/**
 * The one place exit codes are chosen: 0 done (a failed source is reported, not fatal), 1 internal
 * error (INTERNAL_ERROR), and one code per kind of failure a user can act on.
 */
export const EXIT_CODES: Record<ErrorCode, number> = {
  usage: 2,
  config: 2,
  archive: 2,
  fetch: 2,
  parse: 2,
  git: 2,
  locked: 3,
  "archive-io": 4,
  store: 5,
  verify: 6,
  interrupted: 130,
};

/** The exit code of a failure newsark did not expect (a bug): the message, and the stack with NEWSARK_DEBUG=1. */
export const INTERNAL_ERROR = 1;

/** The exit codes as one line of help, read from EXIT_CODES so the two cannot disagree. */
function exitCodesLine(): string {
  const kinds = new Map<number, string[]>();
  for (const [kind, code] of Object.entries(EXIT_CODES)) kinds.set(code, [...(kinds.get(code) ?? []), kind]);
  const codes = [...kinds].sort(([a], [b]) => a - b).map(([code, names]) => `${code} ${names.join("/")}`);
  return `Exit codes: 0 done (a failed source is reported, not fatal), ${INTERNAL_ERROR} internal error, ${codes.join(", ")}.`;
}

function usage(): string {
  const lines = Object.values(commands).map((c) => `  newsark ${c.usage}\n      ${c.summary}`);
  return (
    `newsark — keep the news that others delete\n\nUsage:\n${lines.join("\n")}\n\n` +
    `Most commands take --config F (default: ./newsark.yaml). 'newsark COMMAND --help' explains one command.\n` +
    `${exitCodesLine()}\n`
  );
}

/** One command's help: its usage line and what it is for. */
function commandUsage(name: string): string {
  const entry = commands[name];
  if (!entry) return usage();
  const purpose = `${entry.summary[0]?.toUpperCase()}${entry.summary.slice(1)}.`;
  return `Usage: newsark ${entry.usage}\n\n${purpose}\n\n${exitCodesLine()}\n`;
}

/** True when the arguments ask for help (`--help` or `-h` before any `--`, after which words are data). */
function asksForHelp(args: string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === "--help" || a === "-h");
}

/** File-system refusals (disk full, read-only, no permission) are the user's to fix, not newsark bugs. */
const FILE_SYSTEM_REFUSALS = new Set([
  "EACCES",
  "EPERM",
  "EROFS",
  "ENOSPC",
  "EDQUOT",
  "EIO",
  "ENAMETOOLONG",
  "EMFILE",
  "ENFILE",
]);

function isFileSystemRefusal(err: unknown): boolean {
  const { code, path } = err as NodeJS.ErrnoException;
  return typeof path === "string" && typeof code === "string" && FILE_SYSTEM_REFUSALS.has(code);
}

/**
 * Runs one CLI invocation in-process and returns its exit code. The only place that turns errors
 * into stderr lines; nothing else in newsark writes to stderr or exits.
 *
 * @example
 * const code = await runMain(["run", "--json"], { ...processIO(), cwd: "/tmp/archive" });
 */
export async function runMain(argv: string[], io: CliIO = processIO()): Promise<number> {
  // `newsark help run` is `newsark run --help`.
  const [name, ...rest] = argv[0] === "help" && argv.length > 1 ? [argv[1] as string, "--help"] : argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.stdout(usage());
    return name === undefined ? EXIT_CODES.usage : 0;
  }
  if (name === "--version" || name === "-v") {
    io.stdout(`newsark ${VERSION}\n`);
    return 0;
  }
  const entry = commands[name];
  if (!entry) {
    io.stderr(`newsark: unknown command '${name}' (see 'newsark help')\n`);
    return EXIT_CODES.usage;
  }
  if (asksForHelp(rest)) {
    io.stdout(commandUsage(name));
    return 0;
  }
  try {
    const { command } = await entry.load();
    return await command(rest, io);
  } catch (err) {
    if (err instanceof NewsarkError) {
      io.stderr(`newsark: ${errorMessage(err)}\n`);
      return EXIT_CODES[err.code];
    }
    if (isFileSystemRefusal(err)) {
      io.stderr(`newsark: ${name}: the file system refused: ${errorMessage(err)}\n`);
      return EXIT_CODES["archive-io"];
    }
    io.stderr(`newsark: internal error: ${errorMessage(err)}\n`);
    if (io.env.NEWSARK_DEBUG && err instanceof Error) io.stderr(`${err.stack}\n`);
    return INTERNAL_ERROR;
  }
}
