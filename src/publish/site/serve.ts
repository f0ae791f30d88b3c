import { createReadStream, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";
import { errorMessage } from "../../model/errors.js";
import type { Config } from "../../model/source.js";
import { openCatalog } from "../../search/catalog.js";
import { searchArchive } from "../../search/index.js";
import { buildSite } from "./index.js";

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

async function handleSearch(config: Config, url: URL, res: ServerResponse): Promise<void> {
  const text = url.searchParams.get("q")?.trim() ?? "";
  if (text === "") {
    sendJson(res, 400, { error: "serve: missing q" });
    return;
  }
  const limit = Math.min(100, Math.max(1, Number(url.searchParams.get("limit")) || 20));
  const offset = Math.max(0, Number(url.searchParams.get("offset")) || 0);
  const source = url.searchParams.get("source") || undefined;
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

function handleFile(outDir: string, pathname: string, req: IncomingMessage, res: ServerResponse): void {
  let file = filePathFor(outDir, pathname);
  if (!file) {
    send(res, 404, "text/plain; charset=utf-8", "not found\n");
    return;
  }
  let st = statSync(file, { throwIfNoEntry: false });
  if (st?.isDirectory()) {
    file = join(file, "index.html");
    st = statSync(file, { throwIfNoEntry: false });
  }
  if (!st?.isFile()) {
    send(res, 404, "text/plain; charset=utf-8", "not found\n");
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
 * Builds the site if needed and serves it with a JSON search API (`GET /api/search?q=…&source=…&limit=…`
 * → `{ results, total }`).
 *
 * @example
 * const server = await startServer(config, { port: 0, host: "127.0.0.1", outDir: join(config.root, "site") });
 */
export async function startServer(config: Config, options: ServeOptions): Promise<RunningServer> {
  const outDir = resolve(options.outDir);
  await buildSite(config, outDir);
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
    else handleFile(outDir, rawPath, req, res);
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolveListen());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
