import { isUtf8 } from "node:buffer";
import type { Article } from "../../model/article.js";
import { detached } from "../../util/strings.js";

/**
 * The byte-compatible article file of the archive (the format the system newsark replaces wrote):
 *
 *     <!--{published ms}-->\n[{title}]({url})\n------\n\n{content on one line}\n
 *
 * Titles escape `\`, `[` and `]` with a backslash so that any title survives the link line;
 * URLs percent-encode the characters that would end it. Both round-trip through parseArticle.
 */
export function formatArticle(article: Article): string {
  const published = Number.isFinite(article.published) ? String(Math.trunc(article.published)) : "NaN";
  return `<!--${published}-->\n[${escapeTitle(article.title)}](${escapeUrl(article.url)})\n------\n\n${article.content}\n`;
}

/** Escapes a one-line title for the link line. */
export function escapeTitle(title: string): string {
  return title.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

/** Reverses escapeTitle. Legacy titles hold stray backslashes (`\“`); those are kept as they are. */
export function unescapeTitle(text: string): string {
  return text.replace(/\\([\\[\]])/g, "$1");
}

/** Percent-encodes what would break `(url)`: whitespace, parentheses, angle brackets. */
export function escapeUrl(url: string): string {
  return url.replace(/[\s()<>]/g, (c) => {
    const hex = c.codePointAt(0)?.toString(16).toUpperCase().padStart(2, "0") ?? "";
    return c === " " || c === "\t" || c === "(" || c === ")" || c === "<" || c === ">"
      ? `%${hex}`
      : encodeURIComponent(c);
  });
}

const COMMENT = /^<!--\s*(-?\d+|NaN)?\s*-->\n/;

/** An article file's head as parseArticle reads it, and where its content lies in the file's bytes. */
export interface ArticleLayout {
  published: number;
  title: string;
  url: string;
  contentStart: number;
  contentEnd: number;
}

/**
 * Reads an article file given as bytes without decoding its content, when the file has the shape
 * newsark and the earlier system write: a comment line, the link line, `------`, an empty line, then
 * the content; valid UTF-8 with no CR LF. The content is bytes `contentStart` to `contentEnd`, the
 * same text parseArticle gives. Undefined for any other file (parseArticle reads those): reading an
 * archive of a million files, decoding every content only to hash it would be most of the work.
 */
export function articleLayout(bytes: Buffer): ArticleLayout | undefined {
  const ends: number[] = [];
  for (let at = 0; ends.length < 4; at = (ends[ends.length - 1] as number) + 1) {
    const nl = bytes.indexOf(0x0a, at);
    if (nl === -1) return undefined;
    ends.push(nl);
  }
  const [, second, third, fourth] = ends as [number, number, number, number];
  if (
    third !== second + 7 ||
    bytes.toString("latin1", second + 1, third) !== "------" ||
    fourth !== third + 1
  )
    return undefined;
  if (bytes.includes("\r\n") || !isUtf8(bytes)) return undefined;
  const head = bytes.toString("utf8", 0, fourth + 1);
  // The comment must be exactly the first line, so that the four lines are all parseArticle reads.
  if (COMMENT.exec(head)?.[0].length !== head.indexOf("\n") + 1) return undefined;
  const article = parseArticle(head);
  if (!article) return undefined;
  const contentStart = fourth + 1;
  const contentEnd =
    bytes.length > contentStart && bytes[bytes.length - 1] === 0x0a ? bytes.length - 1 : bytes.length;
  return { published: article.published, title: article.title, url: article.url, contentStart, contentEnd };
}

/**
 * Reads an article file, new or legacy. Returns undefined when the text is not an article file.
 * Tolerates CRLF, a missing or `NaN` timestamp comment, and an unterminated last line.
 */
export function parseArticle(text: string): Article | undefined {
  const normalized = text.includes("\r\n") ? text.replace(/\r\n/g, "\n") : text;
  let rest = normalized;
  let published = Number.NaN;
  const comment = COMMENT.exec(rest);
  if (comment) {
    if (comment[1] !== undefined && comment[1] !== "NaN") published = Number(comment[1]);
    rest = rest.slice(comment[0].length);
  }
  const lineEnd = rest.indexOf("\n");
  const linkLine = lineEnd === -1 ? rest : rest.slice(0, lineEnd);
  const link = parseLinkLine(linkLine);
  if (!link) return undefined;
  rest = lineEnd === -1 ? "" : rest.slice(lineEnd + 1);
  if (rest.startsWith("------\n")) rest = rest.slice(7);
  else if (rest === "------") rest = "";
  if (rest.startsWith("\n")) rest = rest.slice(1);
  const content = rest.endsWith("\n") ? rest.slice(0, -1) : rest;
  return { published, title: link.title, url: link.url, content };
}

/** Parses `[title](url)`; the title ends at the first `](` whose `]` is not backslash-escaped. */
export function parseLinkLine(line: string): { title: string; url: string } | undefined {
  if (!line.startsWith("[") || !line.endsWith(")")) return undefined;
  let i = 1;
  while (i < line.length) {
    const c = line[i];
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (c === "]" && line[i + 1] === "(") break;
    i++;
  }
  if (i >= line.length) return undefined;
  // Detached from the file's text: callers keep titles and links of many articles (state, lists, site).
  return { title: detached(unescapeTitle(line.slice(1, i))), url: detached(line.slice(i + 2, -1)) };
}
