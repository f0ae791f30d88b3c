import { join } from "node:path";
import type { ArticleRecord } from "../../model/article.js";
import { articleHref } from "../../store/files/paths.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { readFileOr } from "../../util/read.js";

/** One rendered list file: path relative to the archive root and its text. */
export interface ListFile {
  path: string;
  text: string;
}

/** Formats "M-D" in a time zone, caching per quarter hour because 100,000 dates must take milliseconds. */
export function monthDayFormatter(timeZone: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat("en-US", { timeZone, month: "numeric", day: "numeric" });
  const cache = new Map<number, string>();
  return (ms: number) => {
    if (!Number.isFinite(ms)) return "?-?";
    const bucket = Math.floor(ms / 900_000);
    let text = cache.get(bucket);
    if (text === undefined) {
      const parts = format.formatToParts(ms);
      const month = parts.find((p) => p.type === "month")?.value ?? "?";
      const day = parts.find((p) => p.type === "day")?.value ?? "?";
      text = `${month}-${day}`;
      cache.set(bucket, text);
    }
    return text;
  };
}

/** Newest first by published time; for equal times the later-archived (lower n) first. */
export function newestFirst(a: ArticleRecord, b: ArticleRecord): number {
  const pa = Number.isFinite(a.published) ? a.published : 0;
  const pb = Number.isFinite(b.published) ? b.published : 0;
  return pb - pa || a.n - b.n;
}

function escapeListTitle(title: string): string {
  return title.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

/** Marks shown after an entry: edited articles and articles gone from their source. */
function marks(r: ArticleRecord): string {
  let text = "";
  if (r.versions > 0) text += " （已修改）";
  if (r.status === "gone") text += " （原文已删除）";
  else if (r.status === "redirected") text += " （原文已移走）";
  return text;
}

/**
 * Renders lists/<name>.md and, past `pageSize` entries, lists/<name>/2.md, 3.md, … in the archive's
 * list format: `{name}\n------\n\n` then `{M-D} [{title}](/articles/<id>/<n>.md)\n` entries joined by
 * `\n`, then `\n`. Pages link to the next one only when there is one, so short lists stay byte-exact.
 */
export function renderLists(
  sourceId: string,
  name: string,
  records: readonly ArticleRecord[],
  timeZone: string,
  pageSize = 300,
  monthDay = monthDayFormatter(timeZone),
): ListFile[] {
  const sorted = [...records].sort(newestFirst);
  const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
  const files: ListFile[] = [];
  const encodedName = encodeURIComponent(name);
  for (let page = 1; page <= pages; page++) {
    const slice = sorted.slice((page - 1) * pageSize, page * pageSize);
    const entries = slice.map(
      (r) =>
        `${monthDay(r.published)} [${escapeListTitle(r.title)}](${articleHref(sourceId, r.n)})${marks(r)}\n`,
    );
    let text = `${name}\n------\n\n${entries.join("\n")}\n`;
    if (page < pages) text += `[更早 →](/lists/${encodedName}/${page + 1}.md)\n`;
    files.push({ path: page === 1 ? `lists/${name}.md` : `lists/${name}/${page}.md`, text });
  }
  return files;
}

/** Writes a source's list pages, touching only the files whose text changed. Returns how many it wrote. */
export function writeSourceLists(
  root: string,
  source: { id: string; name: string },
  records: readonly ArticleRecord[],
  timeZone: string,
  pageSize: number,
): number {
  let written = 0;
  for (const file of renderLists(source.id, source.name, records, timeZone, pageSize)) {
    const path = join(root, file.path);
    if (readFileOr(path, undefined) !== file.text) {
      writeFileAtomic(path, file.text);
      written++;
    }
  }
  return written;
}
