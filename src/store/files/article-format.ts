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

/**
 * Reads an article file, new or legacy. Returns undefined when the text is not an article file.
 * Tolerates CRLF, a missing or `NaN` timestamp comment, and an unterminated last line.
 */
export function parseArticle(text: string): Article | undefined {
  const normalized = text.includes("\r\n") ? text.replace(/\r\n/g, "\n") : text;
  let rest = normalized;
  let published = Number.NaN;
  const comment = /^<!--\s*(-?\d+|NaN)?\s*-->\n/.exec(rest);
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
