import * as assert from "node:assert/strict";
import { test } from "node:test";
import { parseSrcset, resolveLink } from "./html-urls.js";

test("srcset candidates split on commas, keeping commas inside URLs", () => {
  assert.deepEqual(parseSrcset("a.jpg 1x, b.jpg 2x"), [
    { url: "a.jpg", descriptor: "1x" },
    { url: "b.jpg", descriptor: "2x" },
  ]);
  assert.deepEqual(parseSrcset("https://cdn.test/w_100,h_50/a.jpg 100w,https://cdn.test/b.jpg 800w"), [
    { url: "https://cdn.test/w_100,h_50/a.jpg", descriptor: "100w" },
    { url: "https://cdn.test/b.jpg", descriptor: "800w" },
  ]);
  assert.deepEqual(parseSrcset("only.jpg"), [{ url: "only.jpg", descriptor: "" }]);
});

test("links resolve against the page; fragments and data: stay as written", () => {
  assert.equal(resolveLink("../b.jpg", "https://x.test/a/c/page.html"), "https://x.test/a/b.jpg");
  assert.equal(resolveLink("#top", "https://x.test/a"), "#top");
  assert.equal(
    resolveLink("data:image/gif;base64,R0lGOD", "https://x.test/"),
    "data:image/gif;base64,R0lGOD",
  );
});
