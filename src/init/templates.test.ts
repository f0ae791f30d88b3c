import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { DEFAULT_CONFIG, READER_README, WORKFLOW } from "./templates.js";

const README = readFileSync(fileURLToPath(new URL("../../../README.md", import.meta.url)), "utf8");

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
function githubAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

test("IT-01: every link into newsark's README from the files init writes lands on a heading", () => {
  const anchors = new Set(
    README.split("\n")
      .filter((l) => /^#{1,6} /.test(l))
      .map((l) => githubAnchor(l.replace(/^#+ /, ""))),
  );
  const links = [DEFAULT_CONFIG, WORKFLOW, READER_README].flatMap((text) => [
    ...text.matchAll(/github\.com\/newsark\/newsark#([\w-]+)/g),
  ]);
  assert.ok(links.length > 0, "the config links to its documentation");
  for (const [link, anchor] of links) assert.ok(anchors.has(anchor ?? ""), `${link}: no such heading`);
});
