/**
 * The earlier hourly archiver's approach, as a baseline for `npm run bench -- small`: every run
 * fetches and parses every feed (no validators), writes each item's markdown file when it is absent
 * (named by a hash of its link), then rewrites each outlet's list page from all of its article files.
 * Usage: node dist/bench/baseline-seed.js ROOT ID=NAME=URL…
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { articleText, fetchText, parseItems } from "./baseline-fetch.js";

const [root, ...specs] = process.argv.slice(2);
if (!root) throw new Error("usage: baseline-seed ROOT ID=NAME=URL…");
let written = 0;
await Promise.all(
  specs.map(async (spec) => {
    const [id = "", name = "", ...rest] = spec.split("=");
    const url = rest.join("=");
    const dir = join(root, "articles", id);
    mkdirSync(dir, { recursive: true });
    for (const item of parseItems(await fetchText(url))) {
      const path = join(dir, `${createHash("sha1").update(item.link).digest("hex").slice(0, 16)}.md`);
      if (existsSync(path)) continue;
      writeFileSync(path, articleText(item));
      written++;
    }
    // The list page is drawn again from every article file of the outlet.
    const entries = readdirSync(dir).map((file) => {
      const [date = "", link = ""] = readFileSync(join(dir, file), "utf8").split("\n", 2);
      return {
        published: Number(date.slice(4, -3)),
        line: `${link.replace(/\(.*\)$/, `(/articles/${id}/${file})`)}`,
      };
    });
    entries.sort((a, b) => b.published - a.published);
    mkdirSync(join(root, "lists"), { recursive: true });
    writeFileSync(
      join(root, "lists", `${name}.md`),
      `${name}\n------\n\n${entries.map((e) => e.line).join("\n")}\n`,
    );
  }),
);
process.stdout.write(`${JSON.stringify({ written })}\n`);
