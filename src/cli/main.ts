import { errorMessage, NewsarkError } from "../model/errors.js";
import { VERSION } from "../version.js";
import { type CliIO, type Command, processIO } from "./io.js";

/** Each command loads only its own module, so start-up stays lean. */
const commands: Record<string, { summary: string; load: () => Promise<{ command: Command }> }> = {
  init: {
    summary: "init [DIR]                 write a ready archive (newsark.yaml, workflow, README)",
    load: () => import("./commands/init.js"),
  },
  run: {
    summary: "run [--config F] [--source ID…] [--commit] [--push] [--json] [--quiet]",
    load: () => import("./commands/run.js"),
  },
  parse: {
    summary: "parse FILE|URL [--json]    read one feed and print what newsark sees",
    load: () => import("./commands/parse.js"),
  },
  reindex: {
    summary: "reindex [--config F]       rebuild state and the search catalog from the article files",
    load: () => import("./commands/reindex.js"),
  },
  search: {
    summary: "search QUERY [--source ID] [--since D] [--until D] [--limit N] [--json]",
    load: () => import("./commands/search.js"),
  },
  history: {
    summary: "history SOURCE/N [--diff A..B] [--json]   versions of an article",
    load: () => import("./commands/history.js"),
  },
  check: {
    summary: "check [--source ID] [--since 30d] [--limit N]   re-request archived URLs",
    load: () => import("./commands/check.js"),
  },
  build: {
    summary: "build [--out site/]        write the static site and feeds of the archive",
    load: () => import("./commands/build.js"),
  },
  serve: {
    summary: "serve [--port N] [--host H]  serve the site and a JSON search API",
    load: () => import("./commands/serve.js"),
  },
  demo: {
    summary: "demo                       archive the bundled sample feeds offline into ./demo-archive",
    load: () => import("./commands/demo.js"),
  },
};

function usage(): string {
  const lines = Object.values(commands).map((c) => `  newsark ${c.summary}`);
  return `newsark — keep the news that others delete\n\nUsage:\n${lines.join("\n")}\n`;
}

/**
 * Runs one CLI invocation in-process and returns its exit code. The only place that turns errors
 * into stderr lines; nothing else in newsark writes to stderr or exits.
 *
 * @example
 * const code = await runMain(["run", "--json"], { ...processIO(), cwd: "/tmp/archive" });
 */
export async function runMain(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.stdout(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    io.stdout(`newsark ${VERSION}\n`);
    return 0;
  }
  const entry = commands[name];
  if (!entry) {
    io.stderr(`newsark: unknown command '${name}' (see 'newsark help')\n`);
    return 2;
  }
  try {
    const { command } = await entry.load();
    return await command(rest, io);
  } catch (err) {
    if (err instanceof NewsarkError) {
      io.stderr(`newsark: ${errorMessage(err)}\n`);
      return err.exitCode;
    }
    io.stderr(`newsark: internal error: ${errorMessage(err)}\n`);
    if (io.env.NEWSARK_DEBUG && err instanceof Error) io.stderr(`${err.stack}\n`);
    return 1;
  }
}
