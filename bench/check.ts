import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { checkArchive } from "../src/check/index.js";
import { loadConfig } from "../src/config/index.js";
import type { ArticleRecord } from "../src/model/article.js";
import { formatArticle } from "../src/store/files/article-format.js";
import { archivePaths, FIRST_N } from "../src/store/files/paths.js";
import { formatSourceState } from "../src/store/files/state.js";

const ARTICLES = 10_000;

/**
 * Times `newsark check` over a generated 10,000-article archive against a loopback server that answers a
 * mix of 200 (80 %), 404 (10 %) and 301-to-home (10 %); with the default per-host limit and with a wider one.
 */
export async function benchCheck(): Promise<Record<string, number>> {
  const server = createServer((req, res) => {
    if (req.url === "/") {
      res.writeHead(200).end("home");
      return;
    }
    const i = Number((req.url ?? "").split("/").pop());
    if (i % 10 === 0) res.writeHead(404).end("not found");
    else if (i % 10 === 1) res.writeHead(301, { location: "/" }).end();
    else res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<p>第${i}篇</p>`);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), "newsark-bench-check-"));
  const figures: Record<string, number> = { articles: ARTICLES };
  try {
    const now = Date.now();
    const records: ArticleRecord[] = [];
    mkdirSync(archivePaths.articlesDir(dir, "b"), { recursive: true });
    mkdirSync(join(dir, "state"), { recursive: true });
    const t0 = performance.now();
    for (let i = 0; i < ARTICLES; i++) {
      const n = FIRST_N - 1 - i;
      const published = now - i * 60_000;
      const url = `${origin}/a/${i}`;
      writeFileSync(
        archivePaths.article(dir, "b", n),
        formatArticle({ published, title: `文章${i}`, url, content: `<p>第${i}篇</p>` }),
      );
      records.push({
        n,
        key: `l:${url}`,
        published,
        seen: published,
        hash: "0",
        title: `文章${i}`,
        versions: 0,
      });
    }
    writeFileSync(archivePaths.state(dir, "b"), formatSourceState(records.reverse()), { flag: "w" });
    figures.generateMs = Math.round(performance.now() - t0);
    for (const perHost of [2, 8]) {
      writeFileSync(
        archivePaths.config(dir),
        `allowNetworks: ["127.0.0.0/8"]\nfetch: { perHost: ${perHost}, concurrency: ${Math.max(8, perHost)}, retries: 0 }\n` +
          `sources:\n  - { id: b, name: Bench, url: "${origin}/feed.xml" }\n`,
      );
      // Each pass starts from unknown statuses, so both write state and lists.
      writeFileSync(archivePaths.state(dir, "b"), formatSourceState(records.map((r) => ({ ...r }))));
      const config = loadConfig(dir);
      const t = performance.now();
      const report = await checkArchive(config, { sinceMs: 30 * 86_400_000, limit: ARTICLES });
      figures[`checkMs_perHost${perHost}`] = Math.round(performance.now() - t);
      figures[`perSecond_perHost${perHost}`] = Math.round(report.checked / ((performance.now() - t) / 1000));
      figures.alive = report.alive;
      figures.gone = report.gone;
      figures.redirected = report.redirected;
      figures.failed = report.failed;
    }
  } finally {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchCheck().then((figures) => console.log(JSON.stringify(figures, null, 2)));
}
