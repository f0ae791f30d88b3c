/**
 * How much the git repository grows per 1,000 articles with images kept in the repository and with the S3
 * media store: archives 1,000 synthetic articles, each with one 60 KB image of incompressible bytes (like a
 * JPEG), from a 127.0.0.1 server, both ways, commits each archive and compares the repository's bytes.
 * Needs python3-swift for the S3 half. Runnable alone from the repository root: `node dist/bench/media-growth.js`.
 */
import { execFileSync } from "node:child_process";
import { lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runMain } from "../src/cli/main.js";
import { s3Connect } from "../src/store/media/s3/client.js";
import { startS3 } from "../test/services/s3/index.js";
import { makeTitle, prng } from "./corpus.js";

const ARTICLES = 1000;
const IMAGE_BYTES = 60 * 1024;

function treeBytes(path: string, skip: string[]): number {
  const s = lstatSync(path);
  if (s.isFile()) return s.size;
  if (!s.isDirectory()) return 0;
  let total = 0;
  for (const name of readdirSync(path)) if (!skip.includes(name)) total += treeBytes(join(path, name), skip);
  return total;
}

function feed(base: string): string {
  const random = prng(7);
  const items: string[] = [];
  for (let k = 0; k < ARTICLES; k++) {
    const text = Array.from({ length: 30 }, () => `<p>${makeTitle(random)}。</p>`).join("");
    const date = new Date(Date.UTC(2026, 10, 1) - k * 600_000).toUTCString();
    items.push(
      `<item><title>${makeTitle(random)}</title><link>https://news.example/a/${k}</link><pubDate>${date}</pubDate>` +
        `<description><![CDATA[<img src="${base}/img/${k}.jpg">${text}]]></description></item>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>g</title>${items.join("\n")}</channel></rss>`;
}

function image(k: number): Buffer {
  const random = prng(1000 + k);
  const bytes = Buffer.alloc(IMAGE_BYTES);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return bytes;
}

/** Archives the feed into a fresh folder with the given extra config, commits it, returns the sizes. */
async function archive(base: string, extra: string): Promise<{ tree: number; git: number }> {
  const dir = mkdtempSync(join(tmpdir(), "newsark-growth-"));
  try {
    writeFileSync(
      join(dir, "newsark.yaml"),
      `allowNetworks: ["127.0.0.1/32"]\nimages: { maxPerRun: ${ARTICLES * 2} }\n${extra}sources:\n  - { id: g, name: G, url: "${base}/feed.xml", images: archive }\n`,
    );
    const io = {
      stdout: () => {},
      stderr: (t: string) => process.stderr.write(t),
      isTTY: false,
      cwd: dir,
      env: process.env,
    };
    const code = await runMain(["run", "--quiet"], io);
    if (code !== 0) throw new Error(`newsark run exited ${code}`);
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
    git("init", "-q");
    writeFileSync(join(dir, ".gitignore"), ".newsark/\n");
    git("add", "-A");
    git("-c", "user.name=b", "-c", "user.email=b@example.com", "commit", "-qm", "run");
    git("gc", "-q");
    return { tree: treeBytes(dir, [".git", ".newsark"]), git: treeBytes(join(dir, ".git"), []) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const server = createServer((req, res) => {
  const url = req.url ?? "/";
  if (url === "/feed.xml")
    return void res.writeHead(200, { "content-type": "application/rss+xml" }).end(body);
  const m = /^\/img\/(\d+)\.jpg$/.exec(url);
  if (m) return void res.writeHead(200, { "content-type": "image/jpeg" }).end(image(Number(m[1])));
  res.writeHead(404).end();
});
await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const body = feed(base);
const s3 = await startS3().catch((err) => {
  process.stderr.write(`S3 half skipped: ${err instanceof Error ? err.message : String(err)}\n`);
  return undefined;
});
try {
  const mb = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MB`;
  const repo = await archive(base, "");
  console.log(
    `images in the repository: working tree ${mb(repo.tree)}, .git ${mb(repo.git)} per ${ARTICLES} articles`,
  );
  if (s3) {
    process.env.NEWSARK_S3_ACCESS_KEY_ID = s3.accessKey;
    process.env.NEWSARK_S3_SECRET_ACCESS_KEY = s3.secretKey;
    const settings = {
      endpoint: s3.endpoint,
      bucket: "growth",
      prefix: "",
      region: "us-east-1",
      pathStyle: true,
      accessKey: s3.accessKey,
      secretKey: s3.secretKey,
    };
    const { client, close } = await s3Connect(settings);
    await client.makeBucket("growth", "us-east-1");
    const remote = await archive(base, `media: { store: s3, endpoint: "${s3.endpoint}", bucket: growth }\n`);
    let objects = 0;
    let bytes = 0;
    for await (const o of client.listObjectsV2("growth", "", true)) {
      objects++;
      bytes += o.size ?? 0;
    }
    close();
    console.log(
      `images in S3: working tree ${mb(remote.tree)}, .git ${mb(remote.git)} per ${ARTICLES} articles; the bucket holds ${objects} objects, ${mb(bytes)}`,
    );
  } else console.log("images in S3: not measured (python3-swift is not installed)");
} finally {
  await s3?.stop();
  server.close();
}
