/**
 * What archiving images adds to a run: a first run of 7 sources × 50 items with two images each
 * (20 KB, distinct bytes), served with the feeds on 127.0.0.1, with `images: keep` and with
 * `images: archive`. Runnable alone: `node dist/bench/images.js`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NEWSARK_BIN, runNode, stats } from "./measure.js";

const SOURCES = 7;
const ITEMS = 50;
const IMAGES_PER_ITEM = 2;
const IMAGE_BYTES = 20 * 1024;
const REPS = 3;

/** A JPEG-looking body (the archive sniffs the magic number) whose bytes differ per image. */
function imageBytes(seed: number): Buffer {
  const bytes = Buffer.alloc(IMAGE_BYTES, seed % 251);
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
  bytes.writeUInt32BE(seed, 8);
  return bytes;
}

function feed(base: string, source: number): string {
  const items: string[] = [];
  for (let k = 0; k < ITEMS; k++) {
    const imgs = Array.from(
      { length: IMAGES_PER_ITEM },
      (_, j) => `<img src="${base}/img/${source}-${k}-${j}.jpg" width="100%">`,
    ).join("");
    const date = new Date(Date.UTC(2025, 0, 6) - k * 1_200_000).toUTCString();
    items.push(
      `<item><title>第${source}源第${k}条新闻</title><link>https://news.example/${source}/${k}</link>` +
        `<pubDate>${date}</pubDate><description><![CDATA[${imgs}<p>${"正文内容。".repeat(400)}</p>]]></description></item>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>s${source}</title>${items.join("\n")}</channel></rss>`;
}

/** Runs the scenario and returns medians in ms. */
export async function benchImages(): Promise<Record<string, number>> {
  let base = "";
  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    const img = /^\/img\/(\d+)-(\d+)-(\d+)\.jpg$/.exec(url);
    if (img) {
      const seed = Number(img[1]) * 10_000 + Number(img[2]) * 10 + Number(img[3]);
      res.writeHead(200, { "content-type": "image/jpeg" }).end(imageBytes(seed));
      return;
    }
    const f = /^\/feed\/(\d+)\.xml$/.exec(url);
    if (f) {
      res.writeHead(200, { "content-type": "application/rss+xml" }).end(feed(base, Number(f[1])));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const scratch = mkdtempSync(join(tmpdir(), "newsark-bench-images-"));
  try {
    const times: Record<"keep" | "archive", number[]> = { keep: [], archive: [] };
    for (let rep = 0; rep <= REPS; rep++) {
      for (const mode of ["keep", "archive"] as const) {
        const root = mkdtempSync(join(scratch, `${mode}-`));
        const sources = Array.from(
          { length: SOURCES },
          (_, i) => `  - { id: s${i}, name: S${i}, url: "${base}/feed/${i}.xml", images: ${mode} }`,
        );
        writeFileSync(
          join(root, "newsark.yaml"),
          `allowNetworks: ["127.0.0.0/8"]\nfetch: { perHost: 8 }\nimages: { maxPerRun: 1000 }\nsources:\n${sources.join("\n")}\n`,
        );
        const run = await runNode([NEWSARK_BIN, "run", "--json", "--quiet"], {
          cwd: root,
          probe: "preload",
          scratch,
          timeoutMs: 120_000,
        });
        if (run.code !== 0)
          throw new Error(`images bench: run exited ${run.code}: ${run.stderr.slice(0, 300)}`);
        if (rep > 0) times[mode].push(run.wallMs);
      }
    }
    const keep = stats(times.keep).median;
    const archive = stats(times.archive).median;
    const images = SOURCES * ITEMS * IMAGES_PER_ITEM;
    return {
      images,
      keepMedianMs: Math.round(keep),
      archiveMedianMs: Math.round(archive),
      addedMs: Math.round(archive - keep),
      addedPerImageMs: Number(((archive - keep) / images).toFixed(2)),
    };
  } finally {
    server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchImages());
}
