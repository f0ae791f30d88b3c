/**
 * The Chinese-aware text pipeline of newsark's search, shared by the SQLite catalog and the static
 * site's in-browser search. Pure functions, no Node imports: it must load in a browser as it is.
 *
 * 1. fold: NFKC (fullwidth ＡＢＣ → ABC), lower case, traditional → simplified one character at a time,
 *    so 臺灣, 台灣 and 台湾 all become 台湾.
 * 2. index tokens: CJK runs become overlapping bigrams plus their last character; other scripts
 *    become words.
 * 3. queries: each term becomes a phrase of the same tokens, so the index and the query always agree.
 */
import t2s from "./data/t2s.json" with { type: "json" };

// INFO: the map is generated from OpenCC's dictionaries (Apache-2.0) by scripts/build-t2s.ts.
const T2S = new Map<string, string>();
{
  const chars = Array.from(t2s.pairs);
  for (let i = 0; i + 1 < chars.length; i += 2) T2S.set(chars[i] as string, chars[i + 1] as string);
}

const CJK =
  /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}\u30fc]$/u;
const WORD = /^[\p{L}\p{N}\p{M}]$/u;

const SEP = 1;
const WORDCHAR = 2;
const CJKCHAR = 3;

/** Per-BMP-character class, filled lazily: the regex test is the slow part of tokenizing 100k articles. */
const bmpClass = new Uint8Array(0x10000);

function classOf(ch: string): number {
  const code = ch.charCodeAt(0);
  if (ch.length === 1) {
    const known = bmpClass[code] as number;
    if (known !== 0) return known;
  }
  const kind = CJK.test(ch) ? CJKCHAR : WORD.test(ch) ? WORDCHAR : SEP;
  if (ch.length === 1) bmpClass[code] = kind;
  return kind;
}

const foldCache = new Map<string, string>();

/** Folds one code point (NFKC, lower case, simplified); cached because text repeats the same few thousand. */
function foldChar(ch: string): string {
  let folded = foldCache.get(ch);
  if (folded === undefined) {
    folded = "";
    for (const c of ch.normalize("NFKC").toLowerCase()) folded += T2S.get(c) ?? c;
    foldCache.set(ch, folded);
  }
  return folded;
}

/**
 * Folds text to the one form search compares: NFKC, lower case, simplified Chinese.
 *
 * @example
 * fold("臺灣 ＡＢＣ") // "台湾 abc"
 */
export function fold(text: string): string {
  let out = "";
  for (const ch of text.normalize("NFC")) {
    const code = ch.charCodeAt(0);
    if (code < 0x80) out += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : ch;
    else out += foldChar(ch);
  }
  return out;
}

/**
 * Folds text like `fold` and says where each folded UTF-16 unit came from, so a match found in folded
 * text can be shown in the original characters. `origin` has one extra entry: the original length.
 *
 * @example
 * foldWithOrigin("臺灣").folded // "台湾"
 */
export function foldWithOrigin(text: string): { folded: string; origin: number[] } {
  // No NFC here: offsets must point into the text as stored. Stored text is NFC in practice.
  let folded = "";
  const origin: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = ch.charCodeAt(0) < 0x80 ? ch.toLowerCase() : foldChar(ch);
    folded += f;
    for (let k = 0; k < f.length; k++) origin.push(i);
    i += ch.length;
  }
  origin.push(text.length);
  return { folded, origin };
}

/** A piece of folded text: one CJK character or one word, with its UTF-16 offsets in the folded text. */
export interface Unit {
  text: string;
  cjk: boolean;
  start: number;
  end: number;
}

/**
 * Splits folded text into units: each CJK character alone, each other word whole. `boundary` is
 * true when a unit does not touch the CJK unit before it (a separator or a word lies between).
 *
 * @example
 * units("台湾ab").map((u) => u.text) // ["台", "湾", "ab"]
 */
export function units(folded: string): (Unit & { boundary: boolean })[] {
  const out: (Unit & { boundary: boolean })[] = [];
  let wordStart = -1;
  let previousCjk = false;
  let i = 0;
  for (const ch of folded) {
    const kind = classOf(ch);
    if (kind !== WORDCHAR && wordStart !== -1) {
      out.push({ text: folded.slice(wordStart, i), cjk: false, start: wordStart, end: i, boundary: true });
      wordStart = -1;
    }
    if (kind === CJKCHAR) {
      out.push({ text: ch, cjk: true, start: i, end: i + ch.length, boundary: !previousCjk });
      previousCjk = true;
    } else {
      previousCjk = false;
      if (kind === WORDCHAR && wordStart === -1) wordStart = i;
    }
    i += ch.length;
  }
  if (wordStart !== -1)
    out.push({ text: folded.slice(wordStart), cjk: false, start: wordStart, end: i, boundary: true });
  return out;
}

/**
 * Index tokens of folded text. A CJK run c1c2…ck gives the bigrams c1c2 … c(k-1)ck and then ck alone,
 * so every character starts some token (a one-character query is a prefix query) and a run of one
 * character is indexed as itself; words are kept whole.
 *
 * @example
 * tokensOfFolded("中俄关系 putin") // ["中俄", "俄关", "关系", "系", "putin"]
 */
export function tokensOfFolded(folded: string, chars?: Set<string>): string[] {
  const tokens: string[] = [];
  let run: string[] = [];
  const flush = () => {
    for (let k = 0; k + 1 < run.length; k++) tokens.push((run[k] as string) + (run[k + 1] as string));
    if (run.length > 0) tokens.push(run[run.length - 1] as string);
    run = [];
  };
  let wordStart = -1;
  let i = 0;
  for (const ch of folded) {
    const kind = classOf(ch);
    if (kind === CJKCHAR) {
      if (wordStart !== -1) {
        tokens.push(folded.slice(wordStart, i));
        wordStart = -1;
      }
      run.push(ch);
      chars?.add(ch);
    } else {
      if (run.length > 0) flush();
      if (kind === WORDCHAR) {
        if (wordStart === -1) wordStart = i;
      } else if (wordStart !== -1) {
        tokens.push(folded.slice(wordStart, i));
        wordStart = -1;
      }
    }
    i += ch.length;
  }
  flush();
  if (wordStart !== -1) tokens.push(folded.slice(wordStart));
  return tokens;
}

/**
 * Folds and tokenizes text for the index; tokens are joined by spaces, ready for an FTS table
 * whose own tokenizer only splits on ASCII spaces.
 *
 * @example
 * indexText("臺灣關係") // "台湾 湾关 关系 系"
 */
export function indexText(text: string): string {
  return tokensOfFolded(fold(text)).join(" ");
}

/** Index tokens of a text and its distinct CJK characters, both space-separated. */
export interface IndexedText {
  tokens: string;
  chars: string;
}

/** Folded form of each BMP character seen so far (index = char code): an array lookup, not a Map. */
const foldBmp: (string | undefined)[] = new Array(0x10000);

/** Folds one code point like foldChar, through the BMP table when it can. */
function foldPoint(ch: string, code: number): string {
  if (ch.length !== 1) return foldChar(ch);
  let folded = foldBmp[code];
  if (folded === undefined) {
    folded = foldChar(ch);
    foldBmp[code] = folded;
  }
  return folded;
}

/**
 * Folds `text` once and returns its index tokens (as indexText) and its distinct CJK characters:
 * a catalog's index for one-character queries (which article holds 福), much smaller than a prefix
 * index over the bigrams. One pass, no folded copy and no token array: a rebuild runs this over
 * every article (the same tokens as tokensOfFolded(fold(text)), tested).
 *
 * @example
 * indexWithChars("臺灣，台湾") // { tokens: "台湾 湾 台湾 湾", chars: "台 湾" }
 */
export function indexWithChars(text: string): IndexedText {
  let tokens = "";
  let chars = "";
  const seen = new Set<string>();
  // The CJK character before this one in the current run ("" outside a run), the word being read.
  let previous = "";
  let word = "";
  const emit = (token: string) => {
    tokens = tokens === "" ? token : `${tokens} ${token}`;
  };
  const step = (c: string) => {
    const kind = classOf(c);
    if (kind === CJKCHAR) {
      if (word !== "") {
        emit(word);
        word = "";
      }
      if (previous !== "") emit(previous + c);
      previous = c;
      if (!seen.has(c)) {
        seen.add(c);
        chars = chars === "" ? c : `${chars} ${c}`;
      }
      return;
    }
    if (previous !== "") {
      emit(previous);
      previous = "";
    }
    if (kind === WORDCHAR) word += c;
    else if (word !== "") {
      emit(word);
      word = "";
    }
  };
  const normal = text.normalize("NFC");
  for (let i = 0; i < normal.length; i++) {
    const code = normal.charCodeAt(i);
    if (code < 0x80) {
      step(code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : (normal[i] as string));
      continue;
    }
    // A surrogate pair is one code point.
    const next = normal.charCodeAt(i + 1);
    const wide = code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
    const ch = wide ? normal.slice(i, i + 2) : (normal[i] as string);
    if (wide) i++;
    const folded = foldPoint(ch, code);
    if (folded.length === 1) step(folded);
    else for (const c of folded) step(c);
  }
  if (previous !== "") emit(previous);
  if (word !== "") emit(word);
  return { tokens, chars };
}

/**
 * One query term: tokens that must appear one after the other. When `prefix` is set the last token
 * is a single CJK character that may start a longer token (it ends the term, so the text may go on).
 *
 * @example
 * parseQuery("臺灣")[0] // { tokens: ["台湾"], prefix: false, units: ["台", "湾"], text: "臺灣" }
 */
export interface QueryTerm {
  /** The term as typed. */
  text: string;
  tokens: string[];
  prefix: boolean;
  /** Folded units (CJK characters and words), for finding the term in stored text. */
  units: string[];
}

/** Turns one term into its phrase: index tokens, except that the text may continue after it. */
function termOf(text: string): QueryTerm | undefined {
  const folded = fold(text);
  const tokens = tokensOfFolded(folded);
  if (tokens.length === 0) return undefined;
  const all = units(folded);
  let prefix = false;
  // Length of the CJK run that ends the term (0 when the term ends in a word).
  let runLength = 0;
  for (let k = all.length - 1; k >= 0; k--) {
    const u = all[k] as Unit & { boundary: boolean };
    if (!u.cjk) break;
    runLength++;
    if (u.boundary) break;
  }
  // The trailing single character of a run is indexed only where the run ends in the text, and the
  // text may go on after the query term: drop it, or, for a one-character run, make it a prefix.
  if (runLength === 1) prefix = true;
  else if (runLength > 1) tokens.pop();
  return { text, tokens, prefix, units: all.map((u) => u.text) };
}

/**
 * Parses a search box query: whitespace-separated terms that must all match (AND); "double quotes"
 * (or “…” / 「…」) keep a phrase of several words together.
 *
 * @example
 * parseQuery('台湾 "Vladimir Putin"').map((t) => t.tokens) // [["台湾"], ["vladimir", "putin"]]
 */
export function parseQuery(query: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  const pattern = /"([^"]*)"|“([^”]*)”|「([^」]*)」|(\S+)/gu;
  for (const m of query.normalize("NFKC").matchAll(pattern)) {
    const text = m[1] ?? m[2] ?? m[3] ?? m[4] ?? "";
    const term = termOf(text);
    if (term) terms.push(term);
  }
  return terms;
}
