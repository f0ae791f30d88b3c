/**
 * The static full-text index: every article's title and body text, tokenized like the CLI search
 * (folded to simplified lower case, CJK bigrams, whole Latin words), split into segments of
 * hash-sharded posting lists that the browser loads as classic scripts.
 *
 * A full build writes one main segment; an incremental build adds a small segment with only the
 * articles it changed (an edited article gets a new search id, and its old id's doc row becomes a
 * tombstone the browser skips). Small segments are merged when there are too many, and the index is
 * built whole again when they (or the tombstones) grow past a share of the main segment.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fold, tokensOfFolded } from "../../search/tokenize.js";
import { hashToken, isCjk } from "./search-index.js";

/** Target bytes of one shard: a two-word query loads a few of them. */
export const BODY_SHARD_BYTES = 24_000;
/** More small segments than this are merged into one. */
export const MAX_SMALL_SEGMENTS = 8;

/** 64 characters that need no escaping in a JSON string; index < 32 ends a number, ≥ 32 continues it. */
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
const CODES = Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** Character code → digit value (0 for anything else); a table, since a full build decodes ~10⁸ digits. */
const VALUE = new Uint8Array(128);
for (const [i, c] of CODES.entries()) VALUE[c] = i;

function valueAt(text: string, i: number): number {
  return VALUE[text.charCodeAt(i) & 127] as number;
}

/** One segment of the index as the manifest records it. */
export interface BodySegment {
  name: string;
  shards: number;
  /** Live docs it held when written. */
  docs: number;
}

/**
 * Tokens a document is indexed under: the tokenizer's bigrams and words over title and body. The
 * single CJK character that ends every run is left out (it would add a posting per sentence and a
 * one-character query is answered from the title index). Repeats are left in: the collector skips them.
 */
export function bodyTokens(title: string, text: string): string[] {
  const out: string[] = [];
  for (const token of tokensOfFolded(fold(`${title}\n${text}`))) {
    const c = token.charCodeAt(0);
    const single = token.length === 1 || (token.length === 2 && c >= 0xd800 && c <= 0xdbff);
    if (single && isCjk(token)) continue;
    out.push(token);
  }
  return out;
}

/** Appends one number as base-32 digits, most significant first, all but the last marked "continues". */
function pushNumber(out: number[], value: number): void {
  const digits: number[] = [];
  let v = value;
  do {
    digits.push(v & 31);
    v = Math.floor(v / 32);
  } while (v > 0);
  for (let k = digits.length - 1; k >= 0; k--)
    out.push(CODES[(digits[k] as number) + (k > 0 ? 32 : 0)] as number);
}

/**
 * Encodes ascending ids as the shorter of delta numbers or, for a dense list, "~", the first id and a
 * bitmap of 6 ids per character, so a token in most articles costs one bit per article.
 *
 * @example
 * encodeIds([3, 4, 40]) // "34a" (3, +1, +36)
 */
export function encodeIds(ids: ArrayLike<number> & Iterable<number>): string {
  const deltas: number[] = [];
  let last = 0;
  for (const id of ids) {
    pushNumber(deltas, id - last);
    last = id;
  }
  const first = ids[0] ?? 0;
  const span = last - first + 1;
  if (ids.length > 0 && Math.ceil(span / 6) + 4 < deltas.length) {
    const head: number[] = [];
    pushNumber(head, first);
    const bits = new Uint8Array(Math.ceil(span / 6));
    for (const id of ids) {
      const at = id - first;
      bits[Math.floor(at / 6)] = (bits[Math.floor(at / 6)] as number) | (1 << (at % 6));
    }
    return `~${String.fromCharCode(...head)}${Array.from(bits, (b) => ALPHABET[b]).join("")}`;
  }
  let text = "";
  for (let i = 0; i < deltas.length; i += 8192) text += String.fromCharCode(...deltas.slice(i, i + 8192));
  return text;
}

/** Base-32 digits of a non-negative number as pushNumber writes it. */
function digitCount(value: number): number {
  let n = 1;
  for (let v = value; v >= 32; v = Math.floor(v / 32)) n++;
  return n;
}

/**
 * `encodeIds(ids).length` without making the string: a segment is sized from every token's encoded
 * length before its shards are written, and making each text twice was a good part of a full build.
 */
export function encodedLength(ids: ArrayLike<number> & Iterable<number>): number {
  let deltas = 0;
  let last = 0;
  for (const id of ids) {
    deltas += digitCount(id - last);
    last = id;
  }
  const first = ids[0] ?? 0;
  const bitmap = Math.ceil((last - first + 1) / 6);
  return ids.length > 0 && bitmap + 4 < deltas ? 1 + digitCount(first) + bitmap : deltas;
}

/** Decodes what encodeIds wrote; the browser has the same code in its search script. */
export function decodeIds(text: string): number[] {
  const ids: number[] = [];
  let i = 0;
  const readNumber = () => {
    let v = 0;
    for (;;) {
      const d = valueAt(text, i++);
      if (d < 32) return v * 32 + d;
      v = v * 32 + d - 32;
    }
  };
  if (text.startsWith("~")) {
    i = 1;
    const first = readNumber();
    for (let k = 0; i < text.length; i++, k++) {
      const b = valueAt(text, i);
      for (let bit = 0; bit < 6; bit++) if (b & (1 << bit)) ids.push(first + k * 6 + bit);
    }
    return ids;
  }
  let id = 0;
  while (i < text.length) {
    id += readNumber();
    ids.push(id);
  }
  return ids;
}

/** Power of two shards so that each holds about BODY_SHARD_BYTES. */
function shardCountFor(bytes: number): number {
  let count = 1;
  while (count < 65_536 && bytes / count > BODY_SHARD_BYTES) count *= 2;
  return count;
}

/** Site-relative path of one shard of one segment. */
export function bodyShardPath(segment: string, shard: number): string {
  return `search/b/${segment}/${shard}.js`;
}

/** Writes a segment from token → ascending ids; returns its files. */
export function segmentFiles(
  name: string,
  postings: Map<string, ArrayLike<number> & Iterable<number>>,
  docs: number,
): { segment: BodySegment; files: Map<string, string> } {
  const encoded = new Map<string, string>();
  let bytes = 0;
  for (const [token, ids] of postings) {
    if (ids.length === 0) continue;
    const text = encodeIds(ids);
    encoded.set(token, text);
    bytes += text.length + token.length * 3 + 6;
  }
  const shards = shardCountFor(bytes);
  const byShard = Array.from({ length: shards }, () => [] as string[]);
  for (const [token, text] of encoded)
    byShard[hashToken(token) % shards]?.push(`${JSON.stringify(token)}:"${text}"`);
  const files = new Map<string, string>();
  byShard.forEach((entries, i) => {
    entries.sort();
    files.set(bodyShardPath(name, i), `newsarkBody("${name}/${i}",{${entries.join(",")}});\n`);
  });
  return { segment: { name, shards, docs }, files };
}

/**
 * Collects postings of docs, one doc's tokens at a time, in any id order. Each list is a growing
 * Int32Array appended to (4 bytes a posting, not a boxed array element), sorted once at the end when
 * docs came out of order.
 */
export class PostingCollector {
  private readonly lists = new Map<string, { ids: Int32Array; n: number }>();
  private ascending = true;
  private lastId = -1;
  docs = 0;

  /** Adds one doc's tokens (repeats allowed); each doc is added once. */
  add(id: number, tokens: Iterable<string>): void {
    this.docs++;
    if (id < this.lastId) this.ascending = false;
    this.lastId = id;
    for (const token of tokens) {
      const list = this.lists.get(token);
      if (!list) this.lists.set(detached(token), { ids: Int32Array.of(id, 0), n: 1 });
      else if (list.ids[list.n - 1] !== id) {
        if (list.n === list.ids.length) {
          const grown = new Int32Array(list.n * 2);
          grown.set(list.ids);
          list.ids = grown;
        }
        list.ids[list.n++] = id;
      }
    }
  }

  /** Token → ascending ids. */
  postings(): Map<string, ArrayLike<number> & Iterable<number>> {
    const out = new Map<string, Int32Array>();
    for (const [token, { ids, n }] of this.lists) {
      const list = ids.subarray(0, n);
      if (!this.ascending) list.sort();
      out.set(token, list);
    }
    return out;
  }
}

/** Reads a segment's postings back (for merging small segments), keeping only ids `keep` accepts. */
export function readSegment(
  outDir: string,
  segment: BodySegment,
  keep: (id: number) => boolean,
): Map<string, number[]> | undefined {
  const postings = new Map<string, number[]>();
  for (let i = 0; i < segment.shards; i++) {
    const file = join(outDir, bodyShardPath(segment.name, i));
    if (!existsSync(file)) return undefined;
    const text = readFileSync(file, "utf8");
    const data = JSON.parse(text.slice(text.indexOf(",") + 1, text.lastIndexOf(")"))) as Record<
      string,
      string
    >;
    for (const [token, enc] of Object.entries(data)) {
      const ids = decodeIds(enc).filter(keep);
      if (ids.length > 0) postings.set(token, ids);
    }
  }
  return postings;
}

/** Merges posting maps whose ids are disjoint; each list stays ascending. */
export function mergePostings(
  maps: Map<string, ArrayLike<number> & Iterable<number>>[],
): Map<string, number[]> {
  const merged = new Map<string, number[]>();
  for (const map of maps) {
    for (const [token, ids] of map) {
      const list = merged.get(token);
      if (list) list.push(...ids);
      else merged.set(token, [...ids]);
    }
  }
  for (const list of merged.values()) list.sort((a, b) => a - b);
  return merged;
}

/**
 * A copy of `text` that shares no memory with the string it was cut from. V8 keeps a substring as a
 * view into its parent, so a lead or title kept per article would otherwise keep the article's whole
 * text alive: 100,000 of them are most of a full build's memory.
 */
export function detached(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, "utf8").toString("utf8");
}
