import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { siteConfig } from "./site.js";

describe("site config", () => {
  test("CFG-SITE-01: site.maxBytes takes sizes and site.repoUrl gets its trailing slash", () => {
    assert.deepEqual(
      siteConfig("newsark.yaml", {
        site: { maxBytes: "900MB", repoUrl: "https://github.com/o/r/blob/main" },
      }),
      {
        site: { maxBytes: 900 * 1024 ** 2, repoUrl: "https://github.com/o/r/blob/main/" },
      },
    );
    assert.deepEqual(siteConfig("newsark.yaml", {}), {});
  });

  test("CFG-SITE-02: an unknown key, a bad size or a bad URL under site: is refused by name", () => {
    assert.throws(
      () => siteConfig("newsark.yaml", { site: { maxByte: "1GB" } }),
      /newsark\.yaml: site\.maxByte: unknown key/,
    );
    assert.throws(
      () => siteConfig("newsark.yaml", { site: { maxBytes: "lots" } }),
      /site\.maxBytes: 'lots' is not a size/,
    );
    assert.throws(() => siteConfig("newsark.yaml", { site: { repoUrl: "github.com/o/r" } }), /site\.repoUrl/);
  });
});
