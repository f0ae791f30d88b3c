import { join } from "node:path";
import type { ArticleRecord } from "../../model/article.js";
import { archivePaths, articleHref } from "../../store/files/paths.js";
import { allRecords, changedRecords, type SourceState } from "../../store/files/state.js";
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

/** How a source's list pages look: everything a page needs besides its entries. */
interface ListStyle {
  name: string;
  pageSize: number;
  pageHref: (page: number) => string;
  entry: (r: ArticleRecord) => string;
}

function listStyle(
  sourceId: string,
  name: string,
  pageSize: number,
  monthDay: (ms: number) => string,
): ListStyle {
  const encodedName = encodeURIComponent(name);
  return {
    name,
    pageSize,
    pageHref: (page) => (page === 1 ? `/lists/${encodedName}.md` : `/lists/${encodedName}/${page}.md`),
    entry: (r) =>
      `${monthDay(r.published)} [${escapeListTitle(r.title)}](${articleHref(sourceId, r.n)})${marks(r)}\n`,
  };
}

/** The number of the most recent older page of a list of `total` entries; 1 when it has none. */
function newestOlderPage(total: number, pageSize: number): number {
  return Math.ceil(Math.max(0, total - pageSize) / pageSize) + 1;
}

/**
 * Renders page `page` of a list of `total` entries. `newest` holds the list's newest entries in
 * order (newestFirst); it must reach at least as deep as the page does, which for page 1 and the most
 * recent older pages is only the top of the list, so those are rendered without the older records.
 */
function renderPage(
  style: ListStyle,
  newest: readonly ArticleRecord[],
  total: number,
  page: number,
): ListFile {
  const { name, pageSize } = style;
  const newestOlder = newestOlderPage(total, pageSize);
  let slice: readonly ArticleRecord[];
  let newer: number | undefined;
  let older: number | undefined;
  if (page === 1) {
    slice = newest.slice(0, pageSize);
    older = newestOlder > 1 ? newestOlder : undefined;
  } else {
    // Older pages are cut from the oldest end: page 2 holds the oldest pageSize entries, and so on.
    const fromOldest = (page - 2) * pageSize;
    slice = newest.slice(Math.max(total - fromOldest - pageSize, pageSize), total - fromOldest);
    newer = page === newestOlder ? 1 : page + 1;
    older = page > 2 ? page - 1 : undefined;
  }
  let text = `${name}\n------\n\n${slice.map(style.entry).join("\n")}\n`;
  if (newer !== undefined) text += `[← 更新](${style.pageHref(newer)})\n`;
  if (older !== undefined) text += `[更早 →](${style.pageHref(older)})\n`;
  return { path: page === 1 ? `lists/${name}.md` : `lists/${name}/${page}.md`, text };
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
  const style = listStyle(sourceId, name, pageSize, monthDay);
  const files = [renderPage(style, sorted, sorted.length, 1)];
  for (let page = newestOlderPage(sorted.length, pageSize); page >= 2; page--) {
    files.push(renderPage(style, sorted, sorted.length, page));
  }
  return files;
}

/** Writes a rendered page unless the file already holds that text; true when it wrote. */
function writeIfChanged(root: string, file: ListFile, current?: string): boolean {
  const path = join(root, file.path);
  if ((current ?? readFileOr(path, undefined)) === file.text) return false;
  writeFileAtomic(path, file.text);
  return true;
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
    if (writeIfChanged(root, file)) written++;
  }
  return written;
}

/** The article numbers a list page links to, in the order it lists them. */
function numbersOnPage(text: string, sourceId: string): number[] {
  const link = new RegExp(`\\]\\(/articles/${sourceId.replace(/[^\w-]/g, "\\$&")}/(\\d+)\\.md\\)`, "g");
  return [...text.matchAll(link)].map((m) => Number(m[1]));
}

/**
 * Adds `added` records to a source's lists by rewriting only the pages they change: lists/<name>.md
 * and the most recent older pages. `known` are archived records that include at least every entry of
 * those two pages (the end of the state file holds the newest articles). The two pages on disk must
 * be exactly what a full redraw of the archive before `added` gives, and every added record must sort
 * into them; then the result is byte-identical to a full redraw. Returns the number of files written,
 * or undefined when that cannot be shown from what was read (the caller redraws in full).
 */
export function addToSourceLists(
  root: string,
  source: { id: string; name: string },
  known: readonly ArticleRecord[],
  added: readonly ArticleRecord[],
  timeZone: string,
  pageSize: number,
): number | undefined {
  const style = listStyle(source.id, source.name, pageSize, monthDayFormatter(timeZone));
  const first = readFileOr(archivePaths.list(root, source.name), undefined);
  if (first === undefined) return undefined;
  const onFirst = numbersOnPage(first, source.id);
  // The link to the most recent older page closes lists/<name>.md when there are older pages.
  const olderHref = style.pageHref(2).replace(/2\.md$/, "");
  const olderLink = first.endsWith(".md)\n")
    ? first.slice(first.lastIndexOf("\n", first.length - 2) + 1)
    : "";
  const olderMatch = olderLink.startsWith(`[更早 →](${olderHref}`)
    ? /^(\d+)\.md\)\n$/.exec(olderLink.slice(`[更早 →](${olderHref}`.length))
    : null;
  const lastOlder = olderMatch ? Number(olderMatch[1]) : 1;
  const lastOlderText =
    lastOlder > 1 ? readFileOr(archivePaths.listPage(root, source.name, lastOlder), undefined) : "";
  if (lastOlderText === undefined) return undefined;
  const onLastOlder = lastOlder > 1 ? numbersOnPage(lastOlderText, source.id) : [];
  const total = lastOlder > 1 ? (lastOlder - 1) * pageSize + onLastOlder.length : onFirst.length;
  const byN = new Map(known.map((r) => [r.n, r]));
  const top: ArticleRecord[] = [];
  for (const n of [...onFirst, ...onLastOlder]) {
    const r = byN.get(n);
    if (!r) return undefined;
    top.push(r);
  }
  top.sort(newestFirst);
  // The pages on disk must be what a full redraw of the archive as it was would write.
  if (renderPage(style, top, total, 1).text !== first) return undefined;
  if (lastOlder > 1 && renderPage(style, top, total, lastOlder).text !== lastOlderText) return undefined;
  const deepest = top[top.length - 1];
  const whole = top.length === total;
  if (whole ? known.length !== total : deepest === undefined) return undefined;
  if (!whole) {
    // Everything else is older than the two pages; an added record that sorts among it shifts pages
    // this update does not read.
    const inTop = new Set(top);
    const below = (r: ArticleRecord) => newestFirst(r, deepest as ArticleRecord) > 0;
    if (known.some((r) => !inTop.has(r) && !below(r))) return undefined;
    if (added.some(below)) return undefined;
  }
  const next = [...top, ...added].sort(newestFirst);
  const nextTotal = total + added.length;
  let written = writeIfChanged(root, renderPage(style, next, nextTotal, 1), first) ? 1 : 0;
  for (let page = Math.max(2, lastOlder); page <= newestOlderPage(nextTotal, pageSize); page++) {
    const current = page === lastOlder ? lastOlderText : undefined;
    if (writeIfChanged(root, renderPage(style, next, nextTotal, page), current)) written++;
  }
  return written;
}

/**
 * Brings a source's lists up to date after a run. A state read only in part (see readStateTail) adds
 * its new records page by page when that is shown to match a full redraw and no record it changed
 * shows differently (an edit of an older article may sit on any page); otherwise every page is drawn
 * from all records, read from the state file when the run did not hold them. Returns how many files
 * it wrote.
 */
export function writeListsOfState(
  root: string,
  source: { id: string; name: string },
  state: SourceState,
  timeZone: string,
  pageSize: number,
): number {
  if (!state.keptFrom) return writeSourceLists(root, source, state.records, timeZone, pageSize);
  const style = listStyle(source.id, source.name, pageSize, monthDayFormatter(timeZone));
  const shown = changedRecords(state).some(
    ({ before, after }) => before.published !== after.published || style.entry(before) !== style.entry(after),
  );
  if (!shown) {
    const added = new Set(state.appended);
    const known = state.records.filter((r) => !added.has(r));
    const written = addToSourceLists(root, source, known, state.appended, timeZone, pageSize);
    if (written !== undefined) return written;
  }
  // The state file is saved after the lists: its lines as they were, with this run's changes and additions.
  return writeSourceLists(root, source, allRecords(state), timeZone, pageSize);
}
