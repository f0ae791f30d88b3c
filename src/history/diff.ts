import { diffArrays } from "diff";

/** One run of a diff: text both versions share, or text only the older (`removed`) or newer (`added`) has. */
export interface DiffPart {
  value: string;
  added?: boolean | undefined;
  removed?: boolean | undefined;
}

// Han, kana, hangul and fullwidth punctuation: each character is a token, since Chinese has no spaces and a
// word-level diff would mark a whole sentence changed for one edited character.
const CJK = "\\u2e80-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff\\ufe30-\\ufe4f\\uff00-\\uffef";
const TOKEN = new RegExp(
  `[\\ud840-\\ud87f][\\udc00-\\udfff]|[${CJK}]|\\n|[^\\S\\n]+|[\\p{L}\\p{N}_'’-]+|[^${CJK}\\p{L}\\p{N}\\s]`,
  "gu",
);

/**
 * Splits text into diff tokens: one per CJK character, one per word elsewhere, whitespace and punctuation
 * as tokens of their own.
 *
 * @example
 * tokenize("习近平 visited 北京.") // ["习","近","平"," ","visited"," ","北","京","."]
 */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/**
 * Diffs two texts: character by character inside CJK runs, word by word elsewhere. Adjacent parts of the same
 * kind are merged, so the output reads as runs of removed and added text.
 *
 * @example
 * diffText("北京时间", "上海时间") // [{ value: "北京", removed: true }, { value: "上海", added: true }, { value: "时间" }]
 */
export function diffText(older: string, newer: string): DiffPart[] {
  const changes = diffArrays(tokenize(older), tokenize(newer));
  const parts: DiffPart[] = [];
  for (const c of changes) {
    const value = c.value.join("");
    if (value === "") continue;
    const last = parts[parts.length - 1];
    if (last && Boolean(last.added) === Boolean(c.added) && Boolean(last.removed) === Boolean(c.removed)) {
      last.value += value;
    } else {
      parts.push(c.added ? { value, added: true } : c.removed ? { value, removed: true } : { value });
    }
  }
  return parts;
}

/**
 * Renders a diff for a terminal (red removed, green added) or, when `color` is false, with the markers
 * `[-removed-]` and `{+added+}` that survive pipes, logs and e-mail.
 */
export function renderDiff(parts: DiffPart[], color: boolean): string {
  const mark = (value: string, open: string, close: string) =>
    // Markers stay within a line, so a removed paragraph reads as one marked line.
    value
      .split("\n")
      .map((line) => (line === "" ? "" : `${open}${line}${close}`))
      .join("\n");
  return parts
    .map((p) => {
      if (p.removed) return color ? mark(p.value, "\x1b[31m", "\x1b[0m") : mark(p.value, "[-", "-]");
      if (p.added) return color ? mark(p.value, "\x1b[32m", "\x1b[0m") : mark(p.value, "{+", "+}");
      return p.value;
    })
    .join("");
}
