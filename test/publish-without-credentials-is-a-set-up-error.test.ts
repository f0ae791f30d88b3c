import * as assert from "node:assert/strict";
import { after, test } from "node:test";
import { cli, removeDir, tempDir, writeConfig } from "./helpers.js";

const NAMES = [
  "NEWSARK_S3_ACCESS_KEY_ID",
  "NEWSARK_S3_SECRET_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
];
const saved = new Map(NAMES.map((n) => [n, process.env[n]]));
const dirs: string[] = [];
after(() => {
  for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  for (const d of dirs) removeDir(d);
});

test("PUB-E01: publish to a bucket without credentials in the environment is a set-up error (exit 2) naming the variables", async () => {
  for (const name of NAMES) delete process.env[name];
  const dir = tempDir();
  dirs.push(dir);
  // Port 9 on loopback: nothing is contacted, credentials are checked before any request.
  writeConfig(
    dir,
    `sources:\n  - { id: a, name: A, url: "http://127.0.0.1:9/feed.xml" }\npublish: { store: s3, endpoint: "http://127.0.0.1:9", bucket: site }\n`,
  );
  assert.equal((await cli(dir, "build", "--out", "site")).code, 0);
  const r = await cli(dir, "publish", "--site", "site");
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /no credentials: set NEWSARK_S3_ACCESS_KEY_ID and NEWSARK_S3_SECRET_ACCESS_KEY/);
  assert.equal(r.err.trim().split("\n").length, 1, "one line");
});
