import { diffText } from "../../history/diff.js";
import { articleText } from "../../history/text.js";
import type { Article } from "../../model/article.js";
import type { SiteArticle, SiteSource } from "./archive.js";
import { escapeHtml, isoTime, layout, type timeFormatter } from "./html.js";
import { sanitizeHtml } from "./sanitize.js";

/** Times formatted in the archive's time zone. */
export type Times = ReturnType<typeof timeFormatter>;

/** Site-relative path of an article page. */
export function articlePath(source: string, n: number): string {
  return `a/${source}/${n}.html`;
}

/**
 * Where a list links an article, from a page `root` away from the site root: its page, or, for an
 * article left out of the site, the link it was given (relative ones are relative to the site root).
 */
export function articleHref(a: SiteArticle, root: string): string {
  if (a.link === undefined) return root + articlePath(a.source, a.n);
  return /^https?:\/\//i.test(a.link) ? a.link : root + a.link;
}

/** Site-relative path of an earlier version's page. */
export function versionPath(source: string, n: number, seen: number): string {
  return `a/${source}/${n}/${seen}.html`;
}

/** Site-relative path of a source's list page; page 0 is the newest entries, 1… are fixed oldest-first chunks. */
export function sourcePagePath(source: string, page: number): string {
  return page === 0 ? `s/${source}/index.html` : `s/${source}/${page}.html`;
}

/** The deletion mark shown on lists and article pages. */
export function statusMark(status: SiteArticle["status"]): string {
  if (status === "gone") return "原文已删除";
  if (status === "redirected") return "原文已移走";
  return "";
}

/** Only paths inside images/ are used, so a hand-edited manifest cannot point a page elsewhere. */
export function safeImageFile(file: string | undefined): string | undefined {
  if (!file || !/^images\/[\w./-]+$/.test(file) || file.split("/").includes("..")) return undefined;
  return file;
}

/** Everything needed to render one article or version page. */
export interface ArticlePageInput {
  entry: SiteArticle;
  article: Article;
  sourceName: string;
  times: Times;
  /** Absolute image URL → archive-relative local file (images/…), when the archive has a copy. */
  imageFile: (url: string) => string | undefined;
  /** Seen time of the version shown; undefined for the current version. */
  version?: number | undefined;
  /** The version before the one shown, whose differences the page marks. */
  previous?: { article: Article; seen: number } | undefined;
  /** When set, the content's plain text is returned too, blocks separated by this (see SanitizeOptions). */
  textSeparator?: string | undefined;
}

/** Unchanged text kept on each side of a change; longer unchanged runs are cut to this. */
const DIFF_CONTEXT = 60;
/** Characters of marked changes shown at most (UTF-8 of Chinese is 3 bytes a character). */
const MAX_DIFF_CHARS = 12_000;

/**
 * What changed between two versions, as HTML: removed text in <del>, added text in <ins>, character by
 * character in Chinese and word by word elsewhere (src/history's diff), with long unchanged runs cut
 * so a phone shows the changes, not the whole article twice.
 */
export function renderChanges(older: Article, newer: Article): string {
  const parts = [
    ...(older.title === newer.title ? [] : [...diffText(older.title, newer.title), { value: "\n\n" }]),
    ...diffText(articleText(older.content), articleText(newer.content)),
  ];
  if (!parts.some((p) => p.added || p.removed)) return "";
  let html = "";
  for (const [i, p] of parts.entries()) {
    // A page stays under 100 KB: a rewritten article shows the start of its changes only.
    if (html.length > MAX_DIFF_CHARS) return `${html}<span class="cut"> …（改动较多，只显示开头）</span>`;
    if (p.added) html += `<ins>${escapeHtml(p.value)}</ins>`;
    else if (p.removed) html += `<del>${escapeHtml(p.value)}</del>`;
    else {
      const first = i === 0;
      const last = i === parts.length - 1;
      const chars = [...p.value];
      const keep = (first ? 0 : DIFF_CONTEXT) + (last ? 0 : DIFF_CONTEXT);
      if (chars.length <= keep + 20) html += escapeHtml(p.value);
      else {
        const head = first ? "" : chars.slice(0, DIFF_CONTEXT).join("");
        const tail = last ? "" : chars.slice(chars.length - DIFF_CONTEXT).join("");
        html += `${escapeHtml(head)}<span class="cut"> … </span>${escapeHtml(tail)}`;
      }
    }
  }
  return html;
}

/**
 * Renders an article page (or one earlier version of it); returns the HTML, the images it referenced
 * and, with `textSeparator`, the content's plain text.
 */
export function renderArticlePage(input: ArticlePageInput): {
  html: string;
  images: string[];
  text?: string | undefined;
} {
  const { entry, article, sourceName, times, version } = input;
  const root = version === undefined ? "../../" : "../../../";
  const self = version === undefined ? "" : `${entry.n}/`;
  const {
    html: content,
    images,
    text,
  } = sanitizeHtml(article.content, {
    baseUrl: /^https?:/i.test(article.url) ? article.url : undefined,
    textSeparator: input.textSeparator,
    localImage: (url) => {
      const found = input.imageFile(url);
      // A media store with a public URL serves the copy itself: the page links it there.
      if (found && /^https?:\/\//i.test(found)) return found;
      const file = safeImageFile(found);
      return file ? root + file : undefined;
    },
  });
  const firstSeen = Math.min(entry.seen, ...entry.versions);
  const mark = statusMark(entry.status);
  const original = /^https?:\/\//i.test(article.url)
    ? `<a class="orig" href="${escapeHtml(article.url)}" rel="nofollow noopener noreferrer">原文链接</a>`
    : "";
  const versionItems: string[] = [];
  if (entry.versions.length > 0) {
    const current = `<li>${version === undefined ? "<b>当前版本</b>" : `<a href="${version === undefined ? "" : "../"}${entry.n}.html">当前版本</a>`} · ${times.dateTime(entry.seen)}</li>`;
    versionItems.push(current);
    for (const seen of [...entry.versions].reverse()) {
      const label = `较早版本 · ${times.dateTime(seen)}`;
      versionItems.push(
        seen === version
          ? `<li><b>${label}</b></li>`
          : `<li><a href="${self === "" ? `${entry.n}/` : ""}${seen}.html">${label}</a></li>`,
      );
    }
  }
  const changes = input.previous ? renderChanges(input.previous.article, article) : "";
  const changesHtml =
    input.previous && changes
      ? `<section class="changes"><h2>与上一版本（${times.dateTime(input.previous.seen)}）相比</h2><p class="meta"><del>删去的文字</del> <ins>新增的文字</ins></p><div class="diff">${changes}</div></section>\n`
      : "";
  const body = `<main id="main"><article>
<p class="crumb"><a href="${root}${sourcePagePath(entry.source, 0)}">${escapeHtml(sourceName)}</a></p>
<h1>${escapeHtml(article.title)}</h1>
${version === undefined ? "" : `<p class="note">这是较早的版本，存档于 ${times.dateTime(version)}。<a href="../${entry.n}.html">查看当前版本</a></p>\n`}${mark ? `<p class="gone">${mark}</p>\n` : ""}<p class="meta">发布 <time datetime="${isoTime(article.published)}">${times.dateTime(article.published)}</time> · 存档 <time datetime="${isoTime(firstSeen)}">${times.dateTime(firstSeen)}</time>${original ? ` · ${original}` : ""}</p>
${changesHtml}<div class="content">${content}</div>
${versionItems.length > 0 ? `<section class="versions"><h2>版本</h2><ol>${versionItems.join("")}</ol></section>\n` : ""}</article></main>`;
  return { html: layout({ title: `${article.title} - ${sourceName}`, root, body }), images, text };
}

function listItem(a: SiteArticle, root: string, times: Times, sourceName?: string): string {
  const mark = statusMark(a.status);
  return `<li><time>${times.date(a.published)}</time> <a href="${escapeHtml(articleHref(a, root))}">${escapeHtml(a.title)}</a>${sourceName ? ` <small>${escapeHtml(sourceName)}</small>` : ""}${a.versions.length > 0 ? " <small>（已修改）</small>" : ""}${mark ? ` <small class="gone">（${mark}）</small>` : ""}</li>`;
}

const searchForm = (root: string) =>
  `<form class="search" action="${root}search.html" method="get" role="search"><input type="search" name="q" placeholder="搜索标题和正文" aria-label="搜索"><button type="submit">搜索</button></form>`;

/** The home page: sources with their counts and the latest articles of all sources. */
export function renderHome(sources: SiteSource[], latest: SiteArticle[], times: Times): string {
  const names = new Map(sources.map((s) => [s.source.id, s.source.name]));
  const list = sources
    .map(
      (s) =>
        `<li><a href="${sourcePagePath(s.source.id, 0)}">${escapeHtml(s.source.name)}</a> <small>${s.articles.length} 篇</small></li>`,
    )
    .join("");
  const items = latest.map((a) => listItem(a, "", times, names.get(a.source))).join("\n");
  const body = `<main id="main"><h1>新闻存档</h1>
${searchForm("")}
<p><a href="edited.html">最近修改的文章</a> · <a href="gone.html">已删除或移走的文章</a></p>
<h2>来源</h2><ul class="sources">${list}</ul>
<h2>最新</h2><ul class="list">
${items}
</ul>
<p class="feeds">订阅：<a href="feeds/all.xml">RSS</a> · <a href="feeds/all.atom">Atom</a> · <a href="feeds/all.json">JSON Feed</a></p></main>`;
  return layout({ title: "新闻存档", root: "", body });
}

/** One page of a source's list. Page 0 holds the newest `pageSize`; pages 1…pages hold fixed oldest-first chunks. */
export function renderSourcePage(
  s: SiteSource,
  page: number,
  items: SiteArticle[],
  pages: number,
  times: Times,
): string {
  const root = "../../";
  const id = s.source.id;
  // The newest page lists every page; a numbered page links only to its neighbours, so it changes
  // only when a newer page appears next to it, not on every run.
  let pager = "";
  if (page === 0 && pages > 1) {
    const links: string[] = [];
    for (let p = pages; p >= 1; p--) links.push(`<a href="${p}.html">${p}</a>`);
    pager = `<nav class="pager">更早：${links.join(" ")}</nav>`;
  } else if (page > 0) {
    const newer = page < pages ? ` <a href="${page + 1}.html">‹ 较新</a>` : "";
    const older = page > 1 ? ` <a href="${page - 1}.html">较早 ›</a>` : "";
    pager = `<nav class="pager"><a href="index.html">最新</a>${newer} <b>第 ${page} 页</b>${older}</nav>`;
  }
  const body = `<main id="main"><h1>${escapeHtml(s.source.name)}</h1>
<p class="meta">${page === 0 ? `${s.articles.length} 篇 · <a href="gone.html">已删除</a> · ` : ""}<a href="${root}feeds/${id}.xml">RSS</a> · <a href="${root}feeds/${id}.atom">Atom</a> · <a href="${root}feeds/${id}.json">JSON Feed</a></p>
${pager}
<ul class="list">
${items.map((a) => listItem(a, root, times)).join("\n")}
</ul>
${pager}</main>`;
  return layout({ title: page === 0 ? s.source.name : `${s.source.name} · ${page}`, root, body });
}

/** The search page; the search itself runs in the browser from the static index. */
export function renderSearchPage(): string {
  const body = `<main id="main"><h1>搜索</h1>
<form action="search.html" method="get" role="search"><div class="search"><input type="search" name="q" placeholder="搜索标题和正文" aria-label="搜索"><button type="submit">搜索</button></div>
<p class="filters"><label>来源 <select name="source"><option value="">全部</option></select></label>
<label>从 <input type="date" name="from"></label> <label>到 <input type="date" name="to"></label></p></form>
<p id="status" class="meta" role="status" aria-live="polite">输入关键词（标题和正文，繁简皆可）。</p>
<ol id="results" class="list"></ol>
<p><button id="more" type="button" hidden>更多结果</button></p></main>`;
  return layout({
    title: "搜索 - 新闻存档",
    root: "",
    body,
    scripts: ["search/meta.js", "search/tokenize.js", "search.js"],
  });
}

/** Source id → page number (by `seen` is not stable; by position in the oldest-first order is). */
export function sourcePages<T>(articles: T[], pageSize: number): { newest: T[]; chunks: T[][] } {
  // articles are newest first; chunks count from the oldest so adding news changes only the last chunk.
  const oldestFirst = [...articles].reverse();
  const chunks: T[][] = [];
  for (let i = 0; i < oldestFirst.length; i += pageSize)
    chunks.push(oldestFirst.slice(i, i + pageSize).reverse());
  return { newest: articles.slice(0, pageSize), chunks };
}

/** Whether the original of an article is gone or moved, as `newsark check` recorded. */
export function isGone(a: SiteArticle): boolean {
  return a.status === "gone" || a.status === "redirected";
}

/** What `check` saw, in words: 404/410 for gone, a redirect away for moved. */
export function goneEvidence(a: SiteArticle): string {
  return a.status === "gone" ? "原文链接返回 HTTP 404/410" : "原文链接重定向到别处（HTTP 3xx）";
}

/** Gone and moved articles, the most recently found first. */
export function goneNewestFirst(articles: SiteArticle[]): SiteArticle[] {
  return articles.filter(isGone).sort((a, b) => (b.checked ?? 0) - (a.checked ?? 0) || b.n - a.n);
}

/** Articles a deletions page lists at most, so it stays under 100 KB; the feeds carry the newest too. */
export const GONE_LISTED = 250;

/** Site-relative path of the deletions page of one source, or of all sources. */
export function gonePagePath(source?: string): string {
  return source === undefined ? "gone.html" : `s/${source}/gone.html`;
}

/** The deletions page: articles gone or moved at the source, with when archived, when found gone, and the evidence. */
export function renderGonePage(
  articles: SiteArticle[],
  names: Map<string, string>,
  times: Times,
  source?: string,
): string {
  const root = source === undefined ? "" : "../../";
  const feed = `${root}feeds/gone${source === undefined ? "" : `-${source}`}`;
  const items = articles
    .slice(0, GONE_LISTED)
    .map(
      (a) =>
        `<li><a href="${escapeHtml(articleHref(a, root))}">${escapeHtml(a.title)}</a> <small>${escapeHtml(names.get(a.source) ?? a.source)}</small><br><small>存档 <time datetime="${isoTime(a.seen)}">${times.dateTime(Math.min(a.seen, ...a.versions))}</time> · 发现${statusMark(a.status)} <time datetime="${isoTime(a.checked ?? 0)}">${times.dateTime(a.checked ?? 0)}</time> · ${goneEvidence(a)}</small></li>`,
    )
    .join("\n");
  const title =
    source === undefined ? "已删除或移走的文章" : `${names.get(source) ?? source}：已删除或移走的文章`;
  const body = `<main id="main"><h1>${escapeHtml(title)}</h1>
<p class="meta">${articles.length} 篇${articles.length > GONE_LISTED ? `，列出最近发现的 ${GONE_LISTED} 篇` : ""} · 订阅：<a href="${feed}.xml">RSS</a> · <a href="${feed}.atom">Atom</a> · <a href="${feed}.json">JSON Feed</a></p>
<ul class="list">
${items}
</ul></main>`;
  return layout({ title: `${title} - 新闻存档`, root, body });
}

/** Edited articles, the most recently edited first (an edit is when the current version was seen). */
export function recentlyEdited(articles: SiteArticle[], count: number): SiteArticle[] {
  return articles
    .filter((a) => a.versions.length > 0)
    .sort((a, b) => b.seen - a.seen || b.n - a.n)
    .slice(0, count);
}

/** The page of recently edited articles, each linked to its current version, which marks the changes. */
export function renderEditedPage(articles: SiteArticle[], names: Map<string, string>, times: Times): string {
  const items = articles
    .map(
      (a) =>
        `<li><time>${times.dateTime(a.seen)}</time> <a href="${escapeHtml(articleHref(a, ""))}">${escapeHtml(a.title)}</a> <small>${escapeHtml(names.get(a.source) ?? a.source)} · ${a.versions.length + 1} 个版本</small></li>`,
    )
    .join("\n");
  const body = `<main id="main"><h1>最近修改的文章</h1>
<p class="meta">原文被修改过的文章，最近修改的在前；文章页标出与上一版本相比改动的文字。</p>
<ul class="list">
${items}
</ul></main>`;
  return layout({ title: "最近修改的文章 - 新闻存档", root: "", body });
}
