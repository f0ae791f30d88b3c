import { escapeHtml } from "./sanitize.js";

export { escapeHtml };

/**
 * Formats ms since epoch as "2023-08-15 17:39" (and the date alone) in one time zone. Intl is slow
 * (100,000 articles would take a second), so the zone's offset is found once per day and applied by
 * arithmetic; days on which the offset changes fall back to Intl for every minute.
 */
export function timeFormatter(timeZone: string): {
  dateTime: (ms: number) => string;
  date: (ms: number) => string;
} {
  const format = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const viaIntl = (ms: number): string => {
    const p: Record<string, string> = {};
    for (const part of format.formatToParts(ms)) p[part.type] = part.value;
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
  };
  /** The zone's offset at `ms` in minutes, from the wall-clock time Intl gives. */
  const offsetAt = (ms: number): number => {
    const t = viaIntl(ms);
    const wall = Date.UTC(
      Number(t.slice(0, 4)),
      Number(t.slice(5, 7)) - 1,
      Number(t.slice(8, 10)),
      Number(t.slice(11, 13)),
      Number(t.slice(14, 16)),
    );
    return Math.round((wall - Math.floor(ms / 60_000) * 60_000) / 60_000);
  };
  const DAY = 86_400_000;
  const offsets = new Map<number, number | null>();
  const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
  const dateTime = (ms: number): string => {
    if (!Number.isFinite(ms) || ms <= 0) return "?";
    const day = Math.floor(ms / DAY);
    let offset = offsets.get(day);
    if (offset === undefined) {
      const start = offsetAt(day * DAY);
      offset = start === offsetAt(day * DAY + DAY - 60_000) ? start : null;
      offsets.set(day, offset);
    }
    if (offset === null) return viaIntl(ms);
    const d = new Date(ms + offset * 60_000);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  };
  return { dateTime, date: (ms) => dateTime(ms).slice(0, 10) };
}

/** ISO-8601 for `<time datetime>`; empty for unknown times. */
export function isoTime(ms: number): string {
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : "";
}

/** What every page shares: title, the relative prefix back to the site root, and the body. */
export interface PageParts {
  title: string;
  /** "" at the site root, "../../" two folders down; every link starts with it so the site works from any folder. */
  root: string;
  body: string;
  /** Classic scripts (relative to the site root) loaded at the end of the body. */
  scripts?: string[] | undefined;
}

/**
 * The page shell. The CSP forbids scripts and frames from anywhere but the site itself, so even a
 * sanitizer miss cannot run foreign code; images may come from the outlet when no local copy exists.
 */
export function layout(page: PageParts): string {
  const scripts = (page.scripts ?? []).map((s) => `<script src="${page.root}${s}"></script>`).join("");
  return `<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src 'self' data: https: http:; media-src https: http:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(page.title)}</title>
<link rel="stylesheet" href="${page.root}site.css">
<link rel="icon" href="${page.root}favicon.svg" type="image/svg+xml">
</head><body>
<a class="skip" href="#main">跳到正文</a>
<nav class="top"><a href="${page.root}index.html">新闻存档</a><a href="${page.root}search.html">搜索</a></nav>
${page.body}
${scripts}</body></html>
`;
}
