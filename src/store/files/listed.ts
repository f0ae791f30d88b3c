import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { archivePaths } from "./paths.js";

/**
 * The article numbers that a source's list pages (lists/<name>.md and lists/<name>/<page>.md) link
 * to, as in `[title](/articles/<id>/<n>.md)`. Archives taken over from the system newsark replaces
 * hold lists whose entries may point at files that are gone; reindexing reports those.
 */
export function listedArticleNumbers(root: string, sourceId: string, listName: string): number[] {
  const pages = [archivePaths.list(root, listName)];
  const olderDir = join(root, "lists", listName);
  if (existsSync(olderDir)) {
    for (const name of readdirSync(olderDir)) if (/^\d+\.md$/.test(name)) pages.push(join(olderDir, name));
  }
  const link = new RegExp(
    `\\]\\(/articles/${sourceId.replace(/[^\w-]/g, "\\$&")}/(\\d+)(?:_[^)]*)?\\.md\\)`,
    "g",
  );
  const numbers = new Set<number>();
  for (const page of pages) {
    let text: string;
    try {
      text = readFileSync(page, "utf8");
    } catch {
      continue;
    }
    for (const m of text.matchAll(link)) numbers.add(Number(m[1]));
  }
  return [...numbers];
}
