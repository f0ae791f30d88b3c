import { join } from "node:path";
import type { ArticleRecord } from "../../model/article.js";
import { articleHref } from "../../store/files/paths.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { fixedOffset } from "../../util/fixed-zones.js";
import { readFileOr } from "../../util/read.js";

/** One rendered list file: path relative to the archive root and its text. */
export interface ListFile {
  path: string;
  text: string;
}

/**
 * Formats "M-D" in a time zone. Intl is slow (microseconds a call) and 100,000 dates must take
 * milliseconds, so the zone's UTC offset is looked up once per UTC day and applied with plain date
 * arithmetic; only on days when the offset changes (daylight saving) is each date asked for itself.
 */
export function monthDayFormatter(timeZone: string): (ms: number) => string {
  let format: Intl.DateTimeFormat | undefined;
  const intlOffsetAt = (ms: number): number => {
    format ??= new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      hourCycle: "h23",
    });
    const minute = Math.floor(ms / 60_000) * 60_000;
    const p: Record<string, number> = {};
    for (const part of format.formatToParts(minute)) p[part.type] = Number(part.value);
    const local = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0);
    return local - minute;
  };
  const offsetAt = (ms: number): number => fixedOffset(timeZone, ms) ?? intlOffsetAt(ms);
  const DAY = 86_400_000;
  const offsets = new Map<number, number>();
  return (ms: number) => {
    if (!Number.isFinite(ms)) return "?-?";
    const day = Math.floor(ms / DAY);
    let offset = offsets.get(day);
    if (offset === undefined) {
      const start = offsetAt(day * DAY);
      offset = start === offsetAt(day * DAY + DAY - 1) ? start : Number.NaN;
      offsets.set(day, offset);
    }
    const local = new Date(ms + (Number.isNaN(offset) ? offsetAt(ms) : offset));
    return `${local.getUTCMonth() + 1}-${local.getUTCDate()}`;
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
 * Renders lists/<name>.md and, past `pageSize` entries, the older pages lists/<name>/2.md, 3.md, … in
 * the archive's list format: `{name}\n------\n\n` then `{M-D} [{title}](/articles/<id>/<n>.md)\n`
 * entries joined by `\n`, then `\n`. lists/<name>.md holds the newest `pageSize` entries. The older
 * pages are cut from the oldest end (2.md holds the oldest), so as the archive grows only the newest
 * older page changes and git diffs stay small; the highest number is the most recent older page.
 * Navigation lines are added only when there are older pages, so short lists stay byte-exact.
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
  const encodedName = encodeURIComponent(name);
  const pageHref = (page: number) =>
    page === 1 ? `/lists/${encodedName}.md` : `/lists/${encodedName}/${page}.md`;
  const entry = (r: ArticleRecord) =>
    `${monthDay(r.published)} [${escapeListTitle(r.title)}](${articleHref(sourceId, r.n)})${marks(r)}\n`;
  const older = sorted.length > pageSize ? sorted.slice(pageSize).reverse() : [];
  const olderPages = Math.ceil(older.length / pageSize);
  // Page numbers: 1 is lists/<name>.md; older pages are 2 (oldest) … olderPages + 1 (most recent).
  const newestOlder = olderPages + 1;
  const files: ListFile[] = [];
  const render = (
    page: number,
    slice: ArticleRecord[],
    newer: number | undefined,
    olderPage: number | undefined,
  ) => {
    let text = `${name}\n------\n\n${slice.map(entry).join("\n")}\n`;
    if (newer !== undefined) text += `[← 更新](${pageHref(newer)})\n`;
    if (olderPage !== undefined) text += `[更早 →](${pageHref(olderPage)})\n`;
    files.push({ path: page === 1 ? `lists/${name}.md` : `lists/${name}/${page}.md`, text });
  };
  render(1, sorted.slice(0, pageSize), undefined, olderPages > 0 ? newestOlder : undefined);
  for (let page = newestOlder; page >= 2; page--) {
    const chunk = older.slice((page - 2) * pageSize, (page - 1) * pageSize).reverse();
    render(page, chunk, page === newestOlder ? 1 : page + 1, page > 2 ? page - 1 : undefined);
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
