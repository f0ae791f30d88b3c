import { isUtf8 } from "node:buffer";
import { createRequire } from "node:module";
import type Chardet from "chardet";
import type Iconv from "iconv-lite";
import { messages } from "./messages.js";

// iconv-lite costs ~13 ms to load and most feeds are UTF-8: load it on the first legacy charset.
const require = createRequire(import.meta.url);
let iconvModule: typeof Iconv | undefined;
function iconv(): typeof Iconv {
  iconvModule ??= require("iconv-lite") as typeof Iconv;
  return iconvModule;
}

// chardet costs ~7 ms to load and ~0.4 ms per KB it reads, and only bytes that neither a declaration
// nor UTF-8 can read need it: load it then, and give it a bounded sample.
let chardetModule: typeof Chardet | undefined;
function chardet(): typeof Chardet {
  chardetModule ??= require("chardet") as typeof Chardet;
  return chardetModule;
}
const DETECT_SAMPLE_BYTES = 16 * 1024;

/** Text decoded from feed or page bytes, the charset used and what went wrong on the way. */
export interface DecodedText {
  text: string;
  /** Canonical name of the charset used, e.g. "utf-8", "gb18030", "big5hkscs". */
  encoding: string;
  warnings: string[];
}

type Source = "bom" | "header" | "prolog" | "meta" | "default";
interface Candidate {
  name: string;
  source: Source;
  /** As written, for messages. */
  declared: string;
}

// Declared names mapped to the decoder newsark uses. Legacy Chinese, Korean and Japanese names go
// to their supersets, as browsers do (WHATWG Encoding): a feed that says gb2312 routinely holds GBK
// or GB18030 characters, and Big5 feeds from Hong Kong hold HKSCS characters.
const ALIASES: Record<string, string> = {
  utf8: "utf-8",
  "utf-8": "utf-8",
  "unicode-1-1-utf-8": "utf-8",
  "x-unicode20utf8": "utf-8",
  "utf-16": "utf-16",
  utf16: "utf-16",
  "utf-16le": "utf-16le",
  "utf-16be": "utf-16be",
  "utf-32": "utf-32",
  "utf-32le": "utf-32le",
  "utf-32be": "utf-32be",
  gb2312: "gb18030",
  gbk: "gb18030",
  "x-gbk": "gb18030",
  "gb_2312-80": "gb18030",
  gb_2312: "gb18030",
  csgb2312: "gb18030",
  cp936: "gb18030",
  ms936: "gb18030",
  "windows-936": "gb18030",
  "euc-cn": "gb18030",
  "iso-ir-58": "gb18030",
  chinese: "gb18030",
  gb18030: "gb18030",
  big5: "big5hkscs",
  "big5-hkscs": "big5hkscs",
  big5hkscs: "big5hkscs",
  "cn-big5": "big5hkscs",
  csbig5: "big5hkscs",
  "x-x-big5": "big5hkscs",
  "euc-kr": "cp949",
  "ks_c_5601-1987": "cp949",
  "windows-949": "cp949",
  cp949: "cp949",
  korean: "cp949",
  shift_jis: "cp932",
  "shift-jis": "cp932",
  sjis: "cp932",
  "x-sjis": "cp932",
  ms_kanji: "cp932",
  "windows-31j": "cp932",
  csshiftjis: "cp932",
  cp932: "cp932",
  "euc-jp": "eucjp",
  "iso-8859-1": "windows-1252",
  iso8859_1: "windows-1252",
  "iso8859-1": "windows-1252",
  latin1: "windows-1252",
  l1: "windows-1252",
  "us-ascii": "windows-1252",
  ascii: "windows-1252",
  "windows-1252": "windows-1252",
  cp1252: "windows-1252",
  "x-cp1252": "windows-1252",
};

// Single-byte charsets decode any byte, so a wrong declaration never shows as invalid bytes.
const SINGLE_BYTE = new Set(["windows-1252"]);
// East Asian charsets whose byte pairs a detector can tell from Latin-1 text.
const MULTI_BYTE = new Set(["gb18030", "big5hkscs", "cp932", "eucjp", "cp949"]);

function canonical(declared: string): string | undefined {
  const key = declared.trim().toLowerCase();
  const alias = ALIASES[key];
  if (alias) return alias;
  return iconv().encodingExists(key) ? key : undefined;
}

function bomOf(b: Buffer): { name: string; length: number } | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { name: "utf-8", length: 3 };
  if (b[0] === 0x00 && b[1] === 0x00 && b[2] === 0xfe && b[3] === 0xff)
    return { name: "utf-32be", length: 4 };
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0x00 && b[3] === 0x00)
    return { name: "utf-32le", length: 4 };
  if (b[0] === 0xfe && b[1] === 0xff) return { name: "utf-16be", length: 2 };
  if (b[0] === 0xff && b[1] === 0xfe) return { name: "utf-16le", length: 2 };
  return undefined;
}

// INFO: XML 1.0 appendix F — without a BOM, the bytes of "<?" (or "<") reveal the code unit width.
function sniffWidth(b: Buffer): string | undefined {
  if (b.length < 4) return undefined;
  if (b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 0x3c) return "utf-32be";
  if (b[0] === 0x3c && b[1] === 0 && b[2] === 0 && b[3] === 0) return "utf-32le";
  if (b[0] === 0 && b[1] === 0x3c && b[2] === 0 && b[3] === 0x3f) return "utf-16be";
  if (b[0] === 0x3c && b[1] === 0 && b[2] === 0x3f && b[3] === 0) return "utf-16le";
  return undefined;
}

const CHARSET_PARAM = /charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i;
const PROLOG_ENCODING = /<\?xml[^>]*?\bencoding\s*=\s*["']\s*([A-Za-z0-9._:-]+)/;
const META_CHARSET = /<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i;

function isWide(name: string): boolean {
  return name.startsWith("utf-16") || name.startsWith("utf-32");
}

function countReplacements(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\uFFFD"); i !== -1; i = text.indexOf("\uFFFD", i + 1)) n++;
  return n;
}

function decodeWith(body: Buffer, name: string, skip: number): { text: string; bad: number } {
  const bytes = skip > 0 ? body.subarray(skip) : body;
  if (name === "utf-8") {
    if (isUtf8(bytes)) return { text: bytes.toString("utf8"), bad: 0 };
    const text = bytes.toString("utf8");
    // Genuine U+FFFD characters are encoded EF BF BD; only the rest come from bad bytes.
    const genuine = bytes.toString("latin1").split("\xEF\xBF\xBD").length - 1;
    return { text, bad: Math.max(1, countReplacements(text) - genuine) };
  }
  const text = iconv().decode(bytes, name, { stripBOM: true });
  return { text, bad: countReplacements(text) };
}

/**
 * Turns feed or page bytes into text, choosing the charset by BOM, then the HTTP charset, then the
 * XML declaration, then an HTML `<meta charset>`, then UTF-8 (RFC 7303, which replaced RFC 3023's
 * "text/xml means us-ascii" rule that broke real feeds). Bytes that neither the declared charset nor
 * UTF-8 reads go to a charset detector (chardet), with a warning naming its guess. Never throws: bytes
 * no charset reads become U+FFFD and a warning.
 *
 * @example
 * decodeFeedBytes(iconv.encode('<?xml version="1.0" encoding="gbk"?><rss/>', "gbk")).encoding // "gb18030"
 */
export function decodeFeedBytes(body: Buffer, contentType?: string): DecodedText {
  const warnings: string[] = [];
  const bom = bomOf(body);
  const width = bom ? undefined : sniffWidth(body);
  const candidates: Candidate[] = [];
  const add = (declared: string | undefined, source: Source): void => {
    if (!declared) return;
    const name = canonical(declared);
    if (!name) {
      warnings.push(messages.unknownCharset(declared));
      return;
    }
    // A UTF-16/32 label on bytes that are plainly ASCII-compatible was left behind by a transcoding
    // server; the width of the bytes is the better witness.
    if (isWide(name) && !bom && !width) {
      warnings.push(messages.wideLabelIgnored(declared));
      return;
    }
    candidates.push({ name, source, declared });
  };
  if (bom) candidates.push({ name: bom.name, source: "bom", declared: bom.name });
  add(contentType?.match(CHARSET_PARAM)?.[1], "header");
  const head = width
    ? iconv().decode(body.subarray(0, 2048), width)
    : body.subarray(bom?.length ?? 0, 2048).toString("latin1");
  const prolog = head.match(PROLOG_ENCODING)?.[1];
  add(prolog, "prolog");
  if (!prolog) add(body.subarray(0, 4096).toString("latin1").match(META_CHARSET)?.[1], "meta");

  let chosen: Candidate = candidates[0] ?? { name: width ?? "utf-8", source: "default", declared: "utf-8" };
  // Bytes wider than the declared charset (no BOM, 00 3C patterns) cannot be read as declared.
  if (width && !isWide(chosen.name)) chosen = { name: width, source: "default", declared: width };
  if (chosen.name === "utf-16" || chosen.name === "utf-32") {
    chosen = { ...chosen, name: bom?.name ?? width ?? `${chosen.name}le` };
  }
  const skip = chosen.source === "bom" ? (bom?.length ?? 0) : 0;

  // INFO: Chinese feeds often declare iso-8859-1 or us-ascii while sending UTF-8; valid UTF-8 with
  // non-ASCII bytes is almost never meant as Latin-1.
  if (SINGLE_BYTE.has(chosen.name) && body.some((b) => b > 0x7f)) {
    if (isUtf8(body)) {
      warnings.push(messages.charsetMismatch(chosen.declared, "utf-8"));
      return { text: stripBomChar(body.toString("utf8")), encoding: "utf-8", warnings };
    }
    // The same mistake with GBK or Big5 bytes reads as Latin-1 gibberish without a single bad byte:
    // only a detector sees it, and only a multi-byte guess that reads every byte overrules the label.
    const name = detectCharset(body);
    const guess = name !== undefined && MULTI_BYTE.has(name) ? decodeWith(body, name, 0) : undefined;
    if (name !== undefined && guess?.bad === 0) {
      warnings.push(messages.charsetDetected(chosen.declared, name));
      return { text: stripBomChar(guess.text), encoding: name, warnings };
    }
  }

  const first = decodeWith(body, chosen.name, skip);
  if (first.bad === 0 || chosen.source === "bom") {
    if (first.bad > 0) warnings.push(messages.invalidBytes(first.bad, chosen.name));
    return { text: stripBomChar(first.text), encoding: chosen.name, warnings };
  }
  // The chosen charset does not fit: another declaration (or plain UTF-8) that reads the bytes
  // cleanly is the better guess, as when a server's charset header contradicts the XML prolog.
  const others = [...candidates.map((c) => c.name), "utf-8"].filter(
    (name, i, all) => name !== chosen.name && !isWide(name) && all.indexOf(name) === i,
  );
  for (const name of others) {
    const attempt = decodeWith(body, name, 0);
    if (attempt.bad === 0) {
      warnings.push(messages.charsetMismatch(chosen.declared, name));
      return { text: stripBomChar(attempt.text), encoding: name, warnings };
    }
  }
  // Nothing declared reads the bytes. Damaged text (a cut-off character, a stray byte) keeps its
  // charset, losing only the damaged bytes; otherwise the detector's guess wins if it loses fewer.
  if (!isWide(chosen.name) && !mostlyReadable(first.text, first.bad)) {
    const name = detectCharset(body);
    const guess = name !== undefined && name !== chosen.name ? decodeWith(body, name, 0) : undefined;
    if (name !== undefined && guess !== undefined && guess.bad < first.bad) {
      warnings.push(
        chosen.source === "default"
          ? messages.undeclaredCharset(name)
          : messages.charsetDetected(chosen.declared, name),
      );
      if (guess.bad > 0) warnings.push(messages.invalidBytes(guess.bad, name));
      return { text: stripBomChar(guess.text), encoding: name, warnings };
    }
  }
  warnings.push(messages.invalidBytes(first.bad, chosen.name));
  return { text: stripBomChar(first.text), encoding: chosen.name, warnings };
}

// INFO: text in another charset read as UTF-8 has few valid non-ASCII characters per invalid
// sequence (measured: GBK about 1 in 4, Big5 about 1 in 9); damaged text has many.
function mostlyReadable(text: string, bad: number): boolean {
  let valid = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f && code !== 0xfffd) valid++;
  }
  return valid > bad;
}

/** chardet's best guess for bytes that are not UTF-8, as a decoder name; undefined when it has none. */
function detectCharset(body: Buffer): string | undefined {
  // Markup is ASCII and tells nothing about the charset: the sample starts at the first other byte.
  const from = Math.max(
    0,
    body.findIndex((b) => b > 0x7f),
  );
  for (const match of chardet().analyse(body.subarray(from, from + DETECT_SAMPLE_BYTES))) {
    const name = canonical(match.name);
    if (name !== undefined && name !== "utf-8" && !isWide(name)) return name;
  }
  return undefined;
}

function stripBomChar(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
