/**
 * Puts HTML content on one line, as the archive format needs, without gluing words together:
 * a line break between two tags or two CJK characters disappears, elsewhere it becomes one space;
 * inside <pre> line breaks are kept as `&#10;` so the text still shows them.
 */
export function toOneLine(html: string): string {
  if (!/[\r\n]/.test(html)) return html;
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

// CJK ideographs, kana, hangul and CJK/fullwidth punctuation: scripts written without spaces.
const CJK =
  /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[\ud840-\ud87f][\udc00-\udfff]/u;

function joinable(before: string, after: string): boolean {
  const left = before === ">" || CJK.test(before);
  const right = after === "<" || CJK.test(after);
  return left && right;
}

function foldBreaks(text: string): string {
  return text.replace(/[ \t]*(?:\r\n?|\n)[\s]*/g, (match, offset: number, whole: string) => {
    const before = lastChar(whole, offset);
    const after = firstChar(whole, offset + match.length);
    if (before === "" || after === "") return "";
    return joinable(before, after) ? "" : " ";
  });
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
