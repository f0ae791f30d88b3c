/**
 * The bare script `npm run bench -- small` compares newsark with: fetch every feed, parse it with
 * fast-xml-parser, one writeFile per article into a folder. No state, no lock, no versions, no lists.
 * Usage: node dist/bench/baseline-script.js OUT_DIR URL…
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { articleText, fetchText, parseItems } from "./baseline-fetch.js";

const [out, ...urls] = process.argv.slice(2);
if (!out) throw new Error("usage: baseline-script OUT_DIR URL…");
mkdirSync(out, { recursive: true });
let written = 0;
await Promise.all(
  urls.map(async (url, s) => {
    const items = parseItems(await fetchText(url));
    for (const [i, item] of items.entries()) {
      writeFileSync(join(out, `${s}-${i}.md`), articleText(item));
      written++;
    }
  }),
);
process.stdout.write(`${JSON.stringify({ written })}\n`);
