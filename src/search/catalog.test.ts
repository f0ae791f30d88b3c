import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { NewsarkError } from "../model/errors.js";
import { catalogContract } from "../store/catalog.contract.js";
import { openCatalog } from "./catalog.js";

const dir = mkdtempSync(join(tmpdir(), "newsark-catalog-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

catalogContract("the catalog openCatalog chooses by default (SQLite)", () =>
  openCatalog({ root: join(dir, `a${++counter}`) }),
);

test("K01: exists() is false until the catalog is first used, and does not create it", async () => {
  const catalog = openCatalog({ root: join(dir, "fresh") });
  assert.equal(await catalog.exists(), false);
  assert.equal(await catalog.exists(), false);
  assert.equal(await catalog.count(), 0);
  assert.equal(await catalog.exists(), true);
  await catalog.close();
});

test("K02: an unknown catalog kind is a config error naming it", () => {
  assert.throws(
    () => openCatalog({ root: dir, catalog: { kind: "postgres" } }),
    (err) =>
      err instanceof NewsarkError && err.code === "config" && /catalog\.kind: 'postgres'/.test(err.message),
  );
});
