import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { load } from "js-yaml";
import { cli, removeDir, tempDir } from "./helpers.js";

/** How the workflow reads a repository secret (GitHub Actions expression syntax). */
const secret = (name: string) => `$${"{{"} secrets.${name} }}`;

const dirs: string[] = [];
after(() => {
  for (const d of dirs) removeDir(d);
});

type Step = { uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, unknown> };

test("INIT-S3-01: the workflow runs on Node 24, passes the store credentials from secrets, builds the site on its previous build and can publish it to a bucket", async () => {
  const dir = tempDir();
  dirs.push(dir);
  assert.equal((await cli(dir, "init", "news")).code, 0);
  const workflow = load(readFileSync(join(dir, "news", ".github/workflows/newsark.yml"), "utf8")) as {
    jobs: Record<string, { if?: string; steps: Step[] }>;
  };
  for (const job of Object.values(workflow.jobs)) {
    const node = job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    assert.equal(node?.with?.["node-version"], 24);
  }
  const run = workflow.jobs.archive?.steps.find((s) => s.run?.includes("run --commit --push"));
  assert.equal(run?.env?.NEWSARK_S3_ACCESS_KEY_ID, secret("NEWSARK_S3_ACCESS_KEY_ID"));
  assert.equal(run?.env?.NEWSARK_S3_SECRET_ACCESS_KEY, secret("NEWSARK_S3_SECRET_ACCESS_KEY"));
  const bucket = workflow.jobs.bucket;
  assert.match(bucket?.if ?? "", /NEWSARK_PUBLISH == 's3'/);
  const publish = bucket?.steps.find((s) => s.run?.includes("newsark publish"));
  assert.equal(publish?.env?.NEWSARK_S3_SECRET_ACCESS_KEY, secret("NEWSARK_S3_SECRET_ACCESS_KEY"));
  // Both site jobs restore the previous build before building, so an hourly build is incremental.
  for (const name of ["site", "bucket"]) {
    const steps = workflow.jobs[name]?.steps ?? [];
    const cache = steps.findIndex((s) => s.uses?.startsWith("actions/cache@"));
    const build = steps.findIndex((s) => s.run?.includes("newsark build --out site"));
    assert.ok(cache >= 0 && cache < build, `${name}: the site is restored before the build`);
    assert.equal(steps[cache]?.with?.path, "site");
  }
  const yaml = readFileSync(join(dir, "news", "newsark.yaml"), "utf8");
  assert.match(yaml, /^# media: \{ store: s3,/m, "the S3 store is shown, commented out");
  assert.doesNotMatch(yaml, /^[^#\n]*secret/im, "no secret outside comments");
});
