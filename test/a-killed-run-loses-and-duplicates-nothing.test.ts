import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { parseArticle } from "../src/store/files/article-format.js";
import { cli, readTree, removeDir, rss, serveFiles, tempDir, writeConfig } from "./helpers.js";

const ITEMS = 1500;
const files = new Map<string, string>();
let server: Awaited<ReturnType<typeof serveFiles>>;
const dirs: string[] = [];

before(async () => {
  const body = `<p>${"新闻正文内容。".repeat(60)}</p>`;
  files.set(
    "/big.xml",
    rss(
      Array.from({ length: ITEMS }, (_, i) => ({
        title: `第${i}条`,
        link: `https://x.test/a/${i}`,
        pubDate: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toUTCString(),
        description: body,
      })),
    ),
  );
  server = await serveFiles(files);
});
after(async () => {
  await server.close();
  for (const d of dirs) removeDir(d);
});

/** Starts `newsark run` in a child process and SIGKILLs it after `ms`. */
function runAndKill(dir: string, ms: number): Promise<void> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [resolve("bin/newsark.js"), "run", "--quiet"], {
      cwd: dir,
      stdio: "ignore",
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), ms);
    child.on("exit", () => {
      clearTimeout(timer);
      ok();
    });
  });
}

test("a run killed with SIGKILL at any point, then run again, leaves no partial file and no duplicate", async () => {
  // Kill points spread over the time a whole run takes on this machine, measured first.
  const timed = tempDir();
  dirs.push(timed);
  writeConfig(timed, `sources:\n  - { id: k, name: K, url: "${server.url}/big.xml" }\n`);
  const started = performance.now();
  await runAndKill(timed, 60_000);
  const whole = performance.now() - started;
  const delays = Array.from({ length: 10 }, (_, i) => Math.round(whole * (0.3 + 0.075 * i)));
  const phases: string[] = [];
  for (const delay of delays) {
    const dir = tempDir();
    dirs.push(dir);
    writeConfig(dir, `sources:\n  - { id: k, name: K, url: "${server.url}/big.xml" }\n`);
    await runAndKill(dir, delay);
    const written = existsSync(join(dir, "articles/k")) ? readdirSync(join(dir, "articles/k")).length : 0;
    const recorded = existsSync(join(dir, "state/k.tsv"));
    phases.push(written === 0 ? "before writing" : recorded ? "after saving state" : "while writing");
    const r = await cli(dir, "run", "--json");
    assert.equal(r.code, 0, `after kill at ${delay} ms: ${r.err}`);
    const tree = readTree(dir);
    const temp = [...tree.keys()].filter((p) => p.endsWith(".tmp"));
    assert.deepEqual(temp, [], `temp files left after kill at ${delay} ms`);
    const articleFiles = readdirSync(join(dir, "articles/k"));
    assert.equal(articleFiles.length, ITEMS, `article count after kill at ${delay} ms`);
    const urls = new Set<string>();
    for (const name of articleFiles) {
      const a = parseArticle(readFileSync(join(dir, "articles/k", name), "utf8"));
      assert.ok(a, `${name} is a whole article (kill at ${delay} ms)`);
      urls.add(a.url);
    }
    assert.equal(urls.size, ITEMS, `no duplicates after kill at ${delay} ms`);
    const stateLines = readFileSync(join(dir, "state/k.tsv"), "utf8").trim().split("\n").length - 1;
    assert.equal(stateLines, ITEMS);
    const again = JSON.parse((await cli(dir, "run", "--json")).out).sources[0];
    assert.equal(again.new, 0);
  }
  // The kills must land while articles are being written, or this test proves nothing.
  assert.ok(phases.includes("while writing"), `kills landed: ${phases.join(", ")}`);
});
