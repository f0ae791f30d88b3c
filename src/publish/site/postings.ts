/**
 * The full-text postings of a build, kept compact: a full build of 100,000 articles collects some
 * 100 million postings over a few million tokens, which as a Map of strings to arrays is most of the
 * build's time and memory. Here a CJK bigram (most tokens) is a number made of its two characters'
 * small indexes, never a string; each token's ids are variable-length byte deltas in shared pages of
 * bytes; per-token bookkeeping lives in typed arrays. Strings are made only when a segment is written,
 * one shard at a time.
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fold, units } from "../../search/tokenize.js";
import { hashToken } from "./search-index.js";
import {
  BODY_SHARD_BYTES,
  type BodySegment,
  bodyShardPath,
  decodeIds,
  encodedLength,
  encodeIds,
} from "./text-index.js";

const SEP = 1;
const WORD = 2;
const CJK = 3;

/** Class of each BMP character (0: not seen yet), as the search tokenizer classes it. */
const bmpClass = new Uint8Array(0x10000);
/** Folded form of each non-ASCII BMP character, filled as met. */
const bmpFold: (string | undefined)[] = [];
const astral = new Map<number, { folded: string; cls: number }>();

/** The tokenizer's class of one code point: a separator, part of a word, or a CJK character alone. */
function classOf(cp: number): number {
  if (cp < 0x10000) {
    const known = bmpClass[cp] as number;
    if (known !== 0) return known;
  }
  const u = units(String.fromCodePoint(cp));
  const cls = u.length === 0 ? SEP : u[0]?.cjk ? CJK : WORD;
  if (cp < 0x10000) bmpClass[cp] = cls;
  return cls;
}

/** What `fold` makes of one code point of NFC text (ASCII is handled by the caller). */
function foldOf(cp: number): string {
  if (cp < 0x10000) {
    let f = bmpFold[cp];
    if (f === undefined) {
      f = fold(String.fromCharCode(cp));
      bmpFold[cp] = f;
    }
    return f;
  }
  let a = astral.get(cp);
  if (!a) {
    a = { folded: fold(String.fromCodePoint(cp)), cls: classOf(cp) };
    astral.set(cp, a);
  }
  return a.folded;
}

/** Small index (1…32767) of each BMP CJK character met, so a bigram is one small integer. */
const charIndex = new Uint16Array(0x10000);
const indexChar: number[] = [0];

function indexOf(cp: number): number {
  if (cp >= 0x10000) return 0;
  let i = charIndex[cp] as number;
  if (i === 0 && indexChar.length < 0x8000) {
    i = indexChar.length;
    indexChar.push(cp);
    charIndex[cp] = i;
  }
  return i;
}

/**
 * Calls `bigram` or `word` for every token `bodyTokens(title, text)` gives, in the same order, without
 * making strings for CJK bigrams of BMP characters: those come as `(index(a) << 15) | index(b)`.
 * Exactly the search tokenizer's rules: fold (NFC, NFKC, lower case, simplified), CJK runs into
 * overlapping bigrams (the run's last character alone is not a body token), other runs of letters,
 * digits and marks into whole words.
 */
export function forEachBodyToken(
  title: string,
  text: string,
  bigram: (key: number) => void,
  word: (token: string) => void,
): void {
  const s = `${title}\n${text}`.normalize("NFC");
  let prev = -1;
  let inWord = false;
  let w = "";
  const step = (cp: number, ch: string) => {
    const cls = classOf(cp);
    if (cls === CJK) {
      if (inWord) {
        word(w);
        inWord = false;
      }
      if (prev !== -1) {
        const a = indexOf(prev);
        const b = indexOf(cp);
        if (a !== 0 && b !== 0) bigram((a << 15) | b);
        else word(String.fromCodePoint(prev) + ch);
      }
      prev = cp;
      return;
    }
    prev = -1;
    if (cls === WORD) {
      if (inWord) w += ch;
      else {
        w = ch;
        inWord = true;
      }
    } else if (inWord) {
      word(w);
      inWord = false;
    }
  };
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    if (cp < 0x80) {
      if (cp >= 65 && cp <= 90) cp += 32;
      step(cp, String.fromCharCode(cp));
      continue;
    }
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = (cp - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
        i++;
      }
    }
    const folded = foldOf(cp);
    if (folded.length === 1) step(folded.charCodeAt(0), folded);
    else for (const ch of folded) step(ch.codePointAt(0) as number, ch);
  }
  if (inWord) word(w);
}

/** The string of a numeric bigram key. */
function bigramText(key: number): string {
  return String.fromCharCode(indexChar[key >>> 15] as number, indexChar[key & 0x7fff] as number);
}

const PAGE_BITS = 24;
const PAGE = 1 << PAGE_BITS;
const FIRST_BLOCK = 12;
const MAX_BLOCK = 4096;

/** A growable Int32Array. */
class Ints {
  a = new Int32Array(1024);
  grow(n: number): void {
    if (n <= this.a.length) return;
    let len = this.a.length;
    while (len < n) len *= 2;
    const b = new Int32Array(len);
    b.set(this.a);
    this.a = b;
  }
}

/** Spill files: postings are split by token hash into this many, so each is read back alone. */
const PARTITIONS = 256;
/** Bytes of postings kept in memory before a spill. */
const SPILL_BYTES = 64 * 1024 ** 2;

/** Where and past how many bytes of postings a collector moves them to disk. */
export interface SpillOptions {
  /** A folder of its own (removed when the collector starts and after the segment is written). */
  dir: string;
  /** Bytes of postings kept in memory before they are written out; default 64 MB. */
  bytes?: number | undefined;
  /** Spill files (a power of two); default 256. */
  partitions?: number | undefined;
}

/**
 * Collects full-text postings (search id → tokens of title and body) for one segment. Ids may come
 * in any order; each doc is added once. Per token: a chain of byte blocks in 16 MB pages holding
 * zigzag varint deltas; the first 4 bytes of a block point to the next. With `spill`, memory stays
 * bounded whatever the archive's size: past `spill.bytes` the postings are appended to one of 256
 * files by token hash (`token\tencodedIds` lines) and collection starts afresh; writing the segment
 * then reads back one file (or, for few shards, a few) at a time.
 */
export class BodyPostings {
  /** Bigram key → slot + 1, open addressing with linear probing (0: empty); keys in `keys`. */
  private table = new Int32Array(1 << 16);
  /** 32 minus the table's bits: a key's home is the top bits of its Fibonacci hash. */
  private shift = 16;
  private filled = 0;
  private readonly strings = new Map<string, number>();
  /** Per slot: its key (bigram number, or -1 for a string token kept in `words`). */
  private readonly keys = new Ints();
  private readonly words: (string | undefined)[] = [];
  private readonly last = new Ints();
  private readonly head = new Ints();
  private readonly tail = new Ints();
  private readonly pos = new Ints();
  private readonly end = new Ints();
  private slots = 0;
  private readonly pages: Uint8Array[] = [];
  private used = PAGE;
  private ascending = true;
  private lastId = -1;
  /** Docs added. */
  docs = 0;
  private id = 0;
  private spilled = false;
  private readonly partitions: number;

  constructor(private readonly spill?: SpillOptions) {
    if (spill) rmSync(spill.dir, { recursive: true, force: true });
    this.partitions = spill?.partitions ?? PARTITIONS;
  }

  private readonly onBigram = (key: number) => {
    const mask = this.table.length - 1;
    let h = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      h &= mask;
      const at = this.table[h] as number;
      if (at === 0) break;
      if (this.keys.a[at - 1] === key) {
        this.post(at - 1);
        return;
      }
      h++;
    }
    const slot = this.newSlot(key);
    this.table[h] = slot + 1;
    if (++this.filled * 2 > this.table.length) this.growTable();
    this.post(slot);
  };

  private readonly onWord = (token: string) => {
    let slot = this.strings.get(token);
    if (slot === undefined) {
      slot = this.newSlot(-1);
      this.words[slot] = token;
      this.strings.set(token, slot);
    }
    this.post(slot);
  };

  /** Doubles the bigram table, placing every bigram slot again. */
  private growTable(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    this.shift--;
    const mask = this.table.length - 1;
    for (const at of old) {
      if (at === 0) continue;
      let h = Math.imul(this.keys.a[at - 1] as number, 0x9e3779b1) >>> this.shift;
      while (this.table[h & mask] !== 0) h++;
      this.table[h & mask] = at;
    }
  }

  /** Adds one doc's title and text under search id `id`. */
  addText(id: number, title: string, text: string): void {
    this.docs++;
    if (id < this.lastId) this.ascending = false;
    this.lastId = id;
    this.id = id;
    forEachBodyToken(title, text, this.onBigram, this.onWord);
    if (this.spill && (this.pages.length - 1) * PAGE + this.used >= (this.spill.bytes ?? SPILL_BYTES))
      this.spillOut();
  }

  /** Appends the postings in memory to the spill files and starts afresh. */
  private spillOut(): void {
    const dir = (this.spill as SpillOptions).dir;
    mkdirSync(dir, { recursive: true });
    const { order, starts } = this.grouped(this.partitions);
    for (let p = 0; p < this.partitions; p++) {
      let text = "";
      for (let k = starts[p] as number; k < (starts[p + 1] as number); k++) {
        const s = order[k] as number;
        text += `${this.tokenOf(s)}\t${encodeIds(this.ids(s))}\n`;
      }
      if (text !== "") appendFileSync(join(dir, String(p)), text);
    }
    this.table = new Int32Array(1 << 16);
    this.shift = 16;
    this.filled = 0;
    this.strings.clear();
    this.words.length = 0;
    this.slots = 0;
    this.pages.length = 0;
    this.used = PAGE;
    this.ascending = true;
    this.lastId = -1;
    this.spilled = true;
  }

  /** Slots grouped by token hash modulo `groups` (a counting sort): `order[starts[g]…starts[g+1]]`. */
  private grouped(groups: number): { order: Int32Array; starts: Int32Array } {
    const hashes = new Uint32Array(this.slots);
    for (let s = 0; s < this.slots; s++) hashes[s] = hashToken(this.tokenOf(s));
    const starts = new Int32Array(groups + 1);
    for (let s = 0; s < this.slots; s++) {
      const j = ((hashes[s] as number) % groups) + 1;
      starts[j] = (starts[j] as number) + 1;
    }
    for (let i = 0; i < groups; i++) starts[i + 1] = (starts[i + 1] as number) + (starts[i] as number);
    const order = new Int32Array(this.slots);
    const fill = starts.slice(0, groups);
    for (let s = 0; s < this.slots; s++) {
      const i = (hashes[s] as number) % groups;
      order[fill[i] as number] = s;
      fill[i] = (fill[i] as number) + 1;
    }
    return { order, starts };
  }

  /**
   * Token → ascending ids of the spill files `parts` (ids of one token come from disjoint docs). When
   * docs came in id order, each token's lines are already in order and are only joined.
   */
  private readParts(parts: number[]): Map<string, ArrayLike<number> & Iterable<number>> {
    const map = new Map<string, { ids: number[]; sorted: boolean }>();
    for (const p of parts) {
      let text: string;
      try {
        text = readFileSync(join((this.spill as SpillOptions).dir, String(p)), "utf8");
      } catch {
        continue;
      }
      for (let at = 0; at < text.length; ) {
        const tab = text.indexOf("\t", at);
        const nl = text.indexOf("\n", tab);
        const token = text.slice(at, tab);
        const ids = decodeIds(text.slice(tab + 1, nl));
        const list = map.get(token);
        if (!list) map.set(token, { ids, sorted: true });
        else {
          if ((list.ids[list.ids.length - 1] as number) > (ids[0] as number)) list.sorted = false;
          for (const id of ids) list.ids.push(id);
        }
        at = nl + 1;
      }
    }
    const out = new Map<string, ArrayLike<number> & Iterable<number>>();
    for (const [token, { ids, sorted }] of map) out.set(token, sorted ? ids : Int32Array.from(ids).sort());
    return out;
  }

  private alloc(size: number): number {
    if (this.used + size > PAGE) {
      this.pages.push(new Uint8Array(PAGE));
      this.used = 0;
    }
    const at = (this.pages.length - 1) * PAGE + this.used;
    this.used += size;
    return at;
  }

  private newSlot(key: number): number {
    const s = this.slots++;
    for (const ints of [this.keys, this.last, this.head, this.tail, this.pos, this.end])
      ints.grow(this.slots);
    this.keys.a[s] = key;
    this.last.a[s] = -1;
    const block = this.alloc(FIRST_BLOCK);
    this.head.a[s] = block;
    this.tail.a[s] = block;
    this.pos.a[s] = block + 4;
    this.end.a[s] = block + FIRST_BLOCK;
    return s;
  }

  private byte(slot: number, b: number): void {
    let p = this.pos.a[slot] as number;
    if (p === this.end.a[slot]) {
      const t = this.tail.a[slot] as number;
      const size = Math.min(MAX_BLOCK, (p - t) * 2);
      const next = this.alloc(size);
      const page = this.pages[t >>> PAGE_BITS] as Uint8Array;
      const o = t & (PAGE - 1);
      page[o] = next & 0xff;
      page[o + 1] = (next >>> 8) & 0xff;
      page[o + 2] = (next >>> 16) & 0xff;
      page[o + 3] = next >>> 24;
      this.tail.a[slot] = next;
      this.end.a[slot] = next + size;
      p = next + 4;
    }
    (this.pages[p >>> PAGE_BITS] as Uint8Array)[p & (PAGE - 1)] = b;
    this.pos.a[slot] = p + 1;
  }

  private post(slot: number): void {
    const id = this.id;
    const last = this.last.a[slot] as number;
    if (last === id) return;
    this.last.a[slot] = id;
    const delta = last === -1 ? id : id - last;
    let z = delta >= 0 ? delta * 2 : -delta * 2 - 1;
    while (z >= 0x80) {
      this.byte(slot, (z & 0x7f) | 0x80);
      z = Math.floor(z / 128);
    }
    this.byte(slot, z);
  }

  /** The ascending ids of one slot. */
  private ids(slot: number): Int32Array {
    const out: number[] = [];
    let block = this.head.a[slot] as number;
    const tail = this.tail.a[slot] as number;
    const stop = this.pos.a[slot] as number;
    let p = block + 4;
    let blockEnd = block === tail ? stop : block + FIRST_BLOCK;
    let size = FIRST_BLOCK;
    let z = 0;
    let mul = 1;
    let id = 0;
    let first = true;
    for (;;) {
      if (p === blockEnd) {
        if (block === tail) break;
        const page = this.pages[block >>> PAGE_BITS] as Uint8Array;
        const o = block & (PAGE - 1);
        const next =
          ((page[o] as number) |
            ((page[o + 1] as number) << 8) |
            ((page[o + 2] as number) << 16) |
            ((page[o + 3] as number) << 24)) >>>
          0;
        size = Math.min(MAX_BLOCK, size * 2);
        block = next;
        p = block + 4;
        blockEnd = block === tail ? stop : block + size;
        continue;
      }
      const b = (this.pages[p >>> PAGE_BITS] as Uint8Array)[p & (PAGE - 1)] as number;
      p++;
      z += (b & 0x7f) * mul;
      if (b >= 0x80) {
        mul *= 128;
        continue;
      }
      const delta = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      id = first ? delta : id + delta;
      first = false;
      out.push(id);
      z = 0;
      mul = 1;
    }
    const ids = Int32Array.from(out);
    if (!this.ascending) ids.sort();
    return ids;
  }

  private tokenOf(slot: number): string {
    const key = this.keys.a[slot] as number;
    return key === -1 ? (this.words[slot] as string) : bigramText(key);
  }

  /** Token → ascending ids, all at once (for merging a small segment with others). */
  postings(): Map<string, ArrayLike<number> & Iterable<number>> {
    if (this.spilled) {
      this.spillOut();
      const all = this.readParts(Array.from({ length: this.partitions }, (_, p) => p));
      this.removeSpill();
      return all;
    }
    const out = new Map<string, Int32Array>();
    for (let s = 0; s < this.slots; s++) out.set(this.tokenOf(s), this.ids(s));
    return out;
  }

  private removeSpill(): void {
    if (this.spill) rmSync(this.spill.dir, { recursive: true, force: true });
    this.spilled = false;
  }

  /**
   * Writes the segment `name` one shard at a time through `emit` (site-relative path, text): the same
   * files `segmentFiles` makes of `postings()`, without holding them all as strings.
   */
  writeSegment(name: string, emit: (rel: string, text: string) => void): BodySegment {
    if (this.spilled) return this.writeSpilledSegment(name, emit);
    let bytes = 0;
    for (let s = 0; s < this.slots; s++) bytes += encodedLength(this.ids(s)) + this.tokenOf(s).length * 3 + 6;
    let shards = 1;
    while (shards < 65_536 && bytes / shards > BODY_SHARD_BYTES) shards *= 2;
    // Slots grouped by shard, so each shard is made and written alone.
    const { order, starts } = this.grouped(shards);
    for (let i = 0; i < shards; i++) {
      const entries: string[] = [];
      for (let k = starts[i] as number; k < (starts[i + 1] as number); k++) {
        const s = order[k] as number;
        entries.push(`${JSON.stringify(this.tokenOf(s))}:"${encodeIds(this.ids(s))}"`);
      }
      entries.sort();
      emit(bodyShardPath(name, i), `newsarkBody("${name}/${i}",{${entries.join(",")}});\n`);
    }
    return { name, shards, docs: this.docs };
  }

  /**
   * writeSegment once postings were spilled: one pass joins and encodes each spill file's lists (and
   * sizes the segment), one groups the finished entries into shards, holding one file's entries (or,
   * for few shards, a few) at a time.
   */
  private writeSpilledSegment(name: string, emit: (rel: string, text: string) => void): BodySegment {
    this.spillOut();
    const dir = (this.spill as SpillOptions).dir;
    // Each spill file's lists joined and encoded once, written beside it as finished entries
    // (`hash\tentry` lines): the segment's size, and so its shard count, is known at the end.
    let bytes = 0;
    for (let p = 0; p < this.partitions; p++) {
      let text = "";
      for (const [token, ids] of this.readParts([p])) {
        const encoded = encodeIds(ids);
        bytes += encoded.length + token.length * 3 + 6;
        text += `${hashToken(token)}\t${JSON.stringify(token)}:"${encoded}"\n`;
      }
      if (text !== "") appendFileSync(join(dir, `e${p}`), text);
    }
    let shards = 1;
    while (shards < 65_536 && bytes / shards > BODY_SHARD_BYTES) shards *= 2;
    const write = (i: number, entries: string[]) => {
      entries.sort();
      emit(bodyShardPath(name, i), `newsarkBody("${name}/${i}",{${entries.join(",")}});\n`);
    };
    /** Calls `each` with the token hash and the entry of every line of partition `p`'s entry file. */
    const entriesOf = (p: number, each: (hash: number, entry: string) => void) => {
      let text: string;
      try {
        text = readFileSync(join(dir, `e${p}`), "utf8");
      } catch {
        return;
      }
      for (let at = 0; at < text.length; ) {
        const tab = text.indexOf("\t", at);
        const nl = text.indexOf("\n", tab);
        each(Number(text.slice(at, tab)), text.slice(tab + 1, nl));
        at = nl + 1;
      }
    };
    if (shards >= this.partitions) {
      // Both are powers of two: every shard's tokens lie in one spill file.
      for (let p = 0; p < this.partitions; p++) {
        const byShard = new Map<number, string[]>();
        for (let i = p; i < shards; i += this.partitions) byShard.set(i, []);
        entriesOf(p, (hash, entry) => byShard.get(hash % shards)?.push(entry));
        for (const [i, entries] of byShard) write(i, entries);
      }
    } else {
      for (let i = 0; i < shards; i++) {
        const entries: string[] = [];
        for (let p = i; p < this.partitions; p += shards) entriesOf(p, (_hash, entry) => entries.push(entry));
        write(i, entries);
      }
    }
    this.removeSpill();
    return { name, shards, docs: this.docs };
  }
}
