/**
 * Puts HTML content on one line, as the archive format needs, without gluing words together:
 * a line break between two tags or two CJK characters disappears, elsewhere it becomes one space;
 * inside <pre> line breaks are kept as `&#10;` so the text still shows them.
 */
export function toOneLine(html: string): string {
  if (html.indexOf("\n") === -1 && html.indexOf("\r") === -1) return html;
  // Most feeds have no <pre>; checking first spares a slow case-insensitive scan of every body.
  if (!PRE_TAG.test(html)) return foldBreaks(html);
  let out = "";
  let last = 0;
  const pre = /<pre\b[\s\S]*?(?:<\/pre\s*>|$)/gi;
  for (let m = pre.exec(html); m !== null; m = pre.exec(html)) {
    out += foldBreaks(html.slice(last, m.index));
    out += m[0].replace(/\r\n?|\n/g, "&#10;");
    last = m.index + m[0].length;
  }
  return out + foldBreaks(html.slice(last));
}

const PRE_TAG = /<pre\b/i;

// CJK ideographs, kana, hangul and CJK/fullwidth punctuation: scripts written without spaces.
const CJK =
  /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[\ud840-\ud87f][\udc00-\udfff]/u;

function joinable(before: string, after: string): boolean {
  const left = before === ">" || CJK.test(before);
  const right = after === "<" || CJK.test(after);
  return left && right;
}

const isSpace = (code: number) =>
  code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 11;

/** Folds each run of white space that holds a line break; written as a loop, as a regex is slow here. */
function foldBreaks(text: string): string {
  let out = "";
  let copied = 0;
  let i = 0;
  const length = text.length;
  while (i < length) {
    const n = text.indexOf("\n", i);
    const r = text.indexOf("\r", i);
    const at = n === -1 ? r : r === -1 ? n : Math.min(n, r);
    if (at === -1) break;
    let start = at;
    while (start > copied && (text.charCodeAt(start - 1) === 32 || text.charCodeAt(start - 1) === 9)) start--;
    let end = at + 1;
    while (end < length && isSpace(text.charCodeAt(end))) end++;
    const before = lastChar(text, start);
    const after = firstChar(text, end);
    out += text.slice(copied, start);
    if (before !== "" && after !== "" && !joinable(before, after)) out += " ";
    copied = end;
    i = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function lastChar(text: string, end: number): string {
  if (end <= 0) return "";
  const code = text.charCodeAt(end - 1);
  // A low surrogate: take the whole astral character (CJK Extension B and beyond).
  if (code >= 0xdc00 && code <= 0xdfff && end >= 2) return text.slice(end - 2, end);
  return text.charAt(end - 1);
}

function firstChar(text: string, start: number): string {
  if (start >= text.length) return "";
  const code = text.charCodeAt(start);
  if (code >= 0xd800 && code <= 0xdbff) return text.slice(start, start + 2);
  return text.charAt(start);
}
