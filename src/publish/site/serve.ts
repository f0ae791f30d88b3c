import { createReadStream, realpathSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";
import { Worker } from "node:worker_threads";
import { errorMessage } from "../../model/errors.js";
import type { Config } from "../../model/source.js";
import { openCatalog } from "../../search/catalog.js";
import { searchArchive } from "../../search/index.js";

/** Where and what to serve. */
export interface ServeOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** The built site; built (incrementally) before serving. */
  outDir: string;
}

/** A running server. */
export interface RunningServer {
  /** e.g. "http://127.0.0.1:8080/" */
  url: string;
  /**
   * Settles when the build that runs behind the started server is done (rejects when it failed). The
   * server answers from the start: files already built, the search API, and 503 for pages not yet built.
   */
  ready: Promise<void>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/rss+xml; charset=utf-8",
  ".atom": "application/atom+xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".mp3": "audio/mpeg",
  ".mp4": "video/mp4",
};

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    "content-type": type,
    "x-content-type-options": "nosniff",
    "cache-control": "no-cache",
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, "application/json; charset=utf-8", JSON.stringify(value));
}

/**
 * Maps a request path to a file inside `root`, or undefined. Decoded segments may not be `..`, hold
 * a slash, backslash or NUL, or start with a dot (the build manifest), so no encoding walks out.
 */
export function filePathFor(root: string, pathname: string): string | undefined {
  const segments: string[] = [];
  for (const raw of pathname.split("/")) {
    if (raw === "") continue;
    let part: string;
    try {
      part = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (part.startsWith(".") || /[/\\\0:]/.test(part)) return undefined;
    segments.push(part);
  }
  const base = resolve(root);
  const file = join(base, ...segments);
  if (file !== base && !file.startsWith(base + sep)) return undefined;
  return file;
}

/** Largest offset the search API accepts: deeper pages are not a reader's use. */
const MAX_OFFSET = 100_000;

/**
 * Reads a whole-number query parameter within [min, max]; undefined when absent. A malformed value
 * (1e20, -1, 2.5, "x", repeated) is an error naming the parameter, answered 400 rather than passed on.
 */
export function intParam(url: URL, name: string, min: number, max: number): number | undefined {
  const values = url.searchParams.getAll(name);
  if (values.length === 0) return undefined;
  const raw = values[0] as string;
  if (values.length > 1 || !/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new Error(`serve: ${name} '${raw.slice(0, 40)}' is not a whole number from ${min} to ${max}`);
  }
  return Number(raw);
}

async function handleSearch(config: Config, url: URL, res: ServerResponse): Promise<void> {
  const text = url.searchParams.get("q")?.trim() ?? "";
  if (text === "") {
    sendJson(res, 400, { error: "serve: missing q" });
    return;
  }
  let limit: number;
  let offset: number;
  try {
    limit = intParam(url, "limit", 1, 100) ?? 20;
    offset = intParam(url, "offset", 0, MAX_OFFSET) ?? 0;
  } catch (err) {
    sendJson(res, 400, { error: errorMessage(err) });
    return;
  }
  const source = url.searchParams.get("source") || undefined;
  if (source !== undefined && !config.sources.some((s) => s.id === source)) {
    sendJson(res, 400, { error: `serve: source '${source.slice(0, 40)}' is not in the archive` });
    return;
  }
  try {
    const { results, total } = await searchArchive(config.root, openCatalog(config), {
      text,
      source,
      limit,
      offset,
    });
    sendJson(res, 200, { results, total });
  } catch (err) {
    sendJson(res, 500, { error: `serve: search failed: ${errorMessage(err)}` });
  }
}

/** The real path of `file` when it lies inside `realRoot` (symlinks resolved), else undefined. */
function insideSite(realRoot: string, file: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return undefined;
  }
  return real === realRoot || real.startsWith(realRoot + sep) ? real : undefined;
}

function handleFile(
  outDir: string,
  pathname: string,
  req: IncomingMessage,
  res: ServerResponse,
  building: boolean,
): void {
  const notFound = () => {
    if (!building) {
      send(res, 404, "text/plain; charset=utf-8", "not found\n");
      return;
    }
    res.setHeader("retry-after", "5");
    send(res, 503, "text/plain; charset=utf-8", "the site is being built\n");
  };
  const realRoot = insideSite("/", outDir) ?? outDir;
  const asked = filePathFor(outDir, pathname);
  // A symlink in the site (put there by hand or by a copied archive) may point anywhere: only files
  // whose real path is inside the site are served.
  let file = asked && insideSite(realRoot, asked);
  if (!file) {
    notFound();
    return;
  }
  let st = statSync(file, { throwIfNoEntry: false });
  if (st?.isDirectory()) {
    file = insideSite(realRoot, join(file, "index.html"));
    st = file ? statSync(file, { throwIfNoEntry: false }) : undefined;
  }
  if (!file || !st?.isFile()) {
    notFound();
    return;
  }
  const type = TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
  const headers: Record<string, string | number> = {
    "content-type": type,
    "content-length": st.size,
    "x-content-type-options": "nosniff",
    "cache-control": "no-cache",
    "last-modified": st.mtime.toUTCString(),
  };
  // An archived SVG opened on its own must not run script on the site's origin.
  if (type === "image/svg+xml") headers["content-security-policy"] = "sandbox";
  res.writeHead(200, headers);
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  createReadStream(file)
    .on("error", () => res.destroy())
    .pipe(res);
}

/**
 * Serves the site with a JSON search API (`GET /api/search?q=…&source=…&limit=…&offset=…` →
 * `{ results, total }`; bad parameters answer 400 with `{ error }`), and brings the site up to date
 * with an incremental build that runs behind the listening server (see `ready`).
 *
 * @example
 * const server = await startServer(config, { port: 0, host: "127.0.0.1", outDir: join(config.root, "site") });
 */
export async function startServer(config: Config, options: ServeOptions): Promise<RunningServer> {
  const outDir = resolve(options.outDir);
  let building = true;
  const server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://localhost");
    } catch {
      send(res, 400, "text/plain; charset=utf-8", "bad request\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      send(res, 405, "text/plain; charset=utf-8", "method not allowed\n");
      return;
    }
    // The raw path, not URL's normalised one, so `/a/%2e%2e/` is judged as sent.
    const rawPath = (req.url ?? "/").split("?")[0] as string;
    if (rawPath === "/api/search") void handleSearch(config, url, res);
    else handleFile(outDir, rawPath, req, res, building);
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolveListen());
  });
  // The build runs in a worker thread once the server listens: start-up never waits for it, and
  // requests are answered while it runs. Every write of the build is atomic, so stopping it is safe.
  let worker: Worker | undefined;
  let closing = false;
  const ready = new Promise<void>((done, fail) => {
    worker = new Worker(new URL("./build-worker.js", import.meta.url), { workerData: { config, outDir } });
    worker.once("message", () => done());
    worker.once("error", fail);
    worker.once("exit", (code) =>
      code === 0 || closing ? done() : fail(new Error(`serve: the site build stopped (exit code ${code})`)),
    );
  }).finally(() => {
    building = false;
  });
  // A failed build is the caller's to report through `ready`; this keeps it from being unhandled.
  ready.catch(() => undefined);
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    ready,
    close: () =>
      new Promise<void>((done) => {
        closing = true;
        void worker?.terminate();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
