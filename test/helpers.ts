import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { CliIO } from "../src/cli/io.js";
import { runMain } from "../src/cli/main.js";

/** A fresh temp folder, removed by the returned cleanup. */
export function tempDir(prefix = "newsark-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A CLI io that records what a command prints. */
export function captureIO(cwd: string, isTTY = false): CliIO & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    isTTY,
    cwd,
    env: { ...process.env },
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
  };
  return io;
}

/** Runs the CLI in-process; returns exit code and output. */
export async function cli(cwd: string, ...argv: string[]) {
  const io = captureIO(cwd);
  const code = await runMain(argv, io);
  return { code, out: io.out, err: io.err };
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A real HTTP server on 127.0.0.1 with an ephemeral port. */
export async function serve(
  handler: Handler,
): Promise<{ url: string; close: () => Promise<void>; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    handler(req, res);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** Serves a mutable map of path → body (with an ETag) so tests can change feeds between runs. */
export async function serveFiles(files: Map<string, string | Buffer>, contentType = "application/rss+xml") {
  return serve((req, res) => {
    const path = (req.url ?? "/").split("?")[0] as string;
    const body = files.get(path);
    if (body === undefined) {
      res.writeHead(404).end("not found");
      return;
    }
    const etag = `"${Buffer.from(body).length}-${hash(body)}"`;
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, { "content-type": contentType, etag }).end(body);
  });
}

function hash(body: string | Buffer): string {
  let h = 0;
  for (const b of Buffer.from(body)) h = (h * 31 + b) | 0;
  return (h >>> 0).toString(16);
}

/** Every file below `dir` (relative path → content), skipping the local cache. */
export function readTree(dir: string, skip = [".newsark"]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      const rel = relative(dir, path);
      if (skip.includes(rel)) continue;
      if (entry.isDirectory()) walk(path);
      else out.set(rel, readFileSync(path));
    }
  };
  walk(dir);
  return out;
}

/** Path → mtime and inode of every file below `dir`, to prove a run touched nothing. */
export function statTree(dir: string, skip = [".newsark"]): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of readTree(dir, skip).keys()) {
    const s = statSync(join(dir, rel));
    out.set(rel, `${s.mtimeMs}:${s.ino}:${s.size}`);
  }
  return out;
}

/** Writes newsark.yaml in `dir`. */
export function writeConfig(dir: string, yaml: string): void {
  writeFileSync(join(dir, "newsark.yaml"), yaml);
}

/** An RSS 2.0 feed from items, newest first as feeds list them. */
export function rss(
  items: {
    title: string;
    link: string;
    guid?: string;
    pubDate?: string;
    description?: string;
    category?: string;
  }[],
): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const body = items
    .map(
      (i) =>
        `<item><title>${esc(i.title)}</title><link>${esc(i.link)}</link>` +
        (i.guid ? `<guid>${esc(i.guid)}</guid>` : "") +
        (i.pubDate ? `<pubDate>${i.pubDate}</pubDate>` : "") +
        (i.category ? `<category>${esc(i.category)}</category>` : "") +
        `<description><![CDATA[${i.description ?? "<p>正文</p>"}]]></description></item>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>T</title><link>https://example.com/</link><description>d</description>\n${body}\n</channel></rss>\n`;
}
