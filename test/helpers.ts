import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { CliIO } from "../src/cli/io.js";
import { runMain } from "../src/cli/main.js";

export { serveFiles } from "./support/http.js";

/** A fresh temp folder; tests remove it with removeDir. */
export function tempDir(prefix = "newsark-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Removes a folder and everything in it; nothing when it is already gone. */
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

/** Bytes that sniff as a PNG: the signature, then `seed` so different seeds are different images. */
export function png(seed: string, size = 64): Buffer {
  const head = Buffer.from("\x89PNG\r\n\x1a\n", "latin1");
  const rest = Buffer.alloc(Math.max(0, size - head.length), seed);
  return Buffer.concat([head, rest]);
}

/** Bytes that sniff as a JPEG. */
export function jpeg(seed: string, size = 64): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size - 4, seed)]);
}

/**
 * A fetch section for tests: no retries, so failure paths are quick; timeouts far above any answer a
 * loopback server gives even on a loaded machine, so no outcome depends on timing.
 */
export const FAST_FETCH = "fetch:\n  retries: 0\n  timeout: { connect: 15s, headers: 15s, body: 15s }\n";
