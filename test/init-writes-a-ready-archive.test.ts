import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { load } from "js-yaml";
import { loadConfig } from "../src/config/index.js";
import { cli, removeDir, tempDir } from "./helpers.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) removeDir(d);
});

test("init writes newsark.yaml with the default outlets, an hourly workflow and a reader README", async () => {
  const parent = tempDir();
  dirs.push(parent);
  const r = await cli(parent, "init", "news");
  assert.equal(r.code, 0, r.err);
  const root = join(parent, "news");
  const config = loadConfig(root);
  assert.deepEqual(
    config.sources.map((s) => [s.id, s.name]),
    [
      ["voa", "美国之音"],
      ["bbc", "BBC"],
      ["dw", "德国之声"],
      ["rfi", "法广"],
      ["nyt", "纽约时报"],
      ["reuters", "路透"],
      ["ft", "金融时报"],
      ["rfa", "自由亚洲电台"],
      ["cdt", "中国数字时代"],
    ],
  );
  assert.equal(config.sources[0]?.url, "https://feedx.net/rss/mgzy1.xml");
  assert.equal(
    config.sources.find((s) => s.id === "rfa")?.url,
    "https://www.rfa.org/mandarin/yataibaodao/rss2.xml",
  );
  assert.deepEqual(config.sources.find((s) => s.id === "cdt")?.fulltext, { selector: "div.post-content" });
  assert.ok(config.sources.every((s) => s.images === "archive"));
  assert.equal(config.timezone, "Asia/Shanghai");

  const workflow = load(readFileSync(join(root, ".github/workflows/newsark.yml"), "utf8")) as {
    on: { schedule: { cron: string }[] };
    permissions: Record<string, string>;
    jobs: {
      archive: { steps: { uses?: string; run?: string }[] };
      site: { if: string; steps: { uses?: string; run?: string }[] };
    };
  };
  assert.equal(workflow.on.schedule[0]?.cron.split(" ")[1], "*", "runs every hour");
  const steps = workflow.jobs.archive.steps as { uses?: string; run?: string }[];
  assert.ok(steps.some((s) => s.uses === "actions/checkout@v6"));
  assert.ok(steps.some((s) => s.run?.includes("run --commit --push")));
  assert.ok(
    steps.some((s) => s.run?.includes("/enable")),
    "keeps the schedule alive past the 60-day pause",
  );
  assert.equal(workflow.permissions.actions, "write");
  assert.ok(
    workflow.jobs.site.steps.some((s) => s.run?.includes("newsark build")),
    "publishes the site",
  );
  assert.ok(workflow.jobs.site.steps.some((s) => s.uses?.startsWith("actions/deploy-pages@")));
  assert.match(workflow.jobs.site.if, /NEWSARK_PAGES/, "GitHub Pages only when the archive turns it on");
  assert.ok(existsSync(join(root, "README.md")));
  assert.match(readFileSync(join(root, ".gitignore"), "utf8"), /^\.newsark\/$/m);
  assert.ok(existsSync(join(root, ".git")), "init makes a git repository");
});

test("init refuses to overwrite an existing archive", async () => {
  const dir = tempDir();
  dirs.push(dir);
  assert.equal((await cli(dir, "init")).code, 0);
  const again = await cli(dir, "init");
  assert.equal(again.code, 2);
  assert.match(again.err, /already exists; nothing was changed/);
});

test("init says what to run next: from the folder it wrote, no 'cd .'", async () => {
  const parent = tempDir();
  dirs.push(parent);
  assert.match((await cli(parent, "init", "news")).out, /\nnext: cd news && newsark run\n$/);
  assert.match((await cli(parent, "init")).out, /\nnext: newsark run\n$/);
});
