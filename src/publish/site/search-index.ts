import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fold, tokensOfFolded, units } from "../../search/tokenize.js";

/** One document of the static index: what a result shows and where it links. */
export interface SearchDoc {
  title: string;
  /** Index into the source table of meta.js. */
  source: number;
  n: number;
  /** "YYYY-MM-DD" in the archive's time zone. */
  date: string;
  /** 1 when the original is gone or moved. */
  gone: 0 | 1;
}

/** Docs per doc-table chunk: a result page loads only the chunks of the docs it shows. */
export const DOC_CHUNK = 500;

/**
 * 32-bit FNV-1a over UTF-16 code units. The browser computes the same hash to find a token's shard,
 * so this must stay byte-for-byte identical to `hashToken` in the site script.
 */
export function hashToken(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Tokens a title is indexed under: the search tokenizer's bigrams and words, plus every CJK character
 * alone, so a one-character query (a prefix in the CLI search) finds titles holding that character.
 */
export function titleTokens(title: string): Set<string> {
  const folded = fold(title);
  const set = new Set(tokensOfFolded(folded));
  for (const u of units(folded)) if (u.cjk) set.add(u.text);
  return set;
}

/** Enough shards that each holds a few thousand postings, a power of two between 16 and 4096. */
export function shardCountFor(postings: number): number {
  let count = 16;
  while (count < 4096 && postings / count > 3000) count *= 2;
  return count;
}

/** The files of the static index, as site-relative paths and their text (JSONP-style scripts). */
export interface SearchIndexFiles {
  files: Map<string, string>;
  shards: number;
  postings: number;
}

/**
 * Builds the sharded index over titles. `docs[id]` is undefined for ids whose article is gone from
 * the archive (ids stay stable across builds so an hourly run rewrites only a few shards).
 */
export function buildSearchIndex(docs: (SearchDoc | undefined)[], sources: [string, string][]): SearchIndexFiles {
  const postingsByToken = new Map<string, number[]>();
  let postings = 0;
  for (let id = 0; id < docs.length; id++) {
    const doc = docs[id];
    if (!doc) continue;
    for (const token of titleTokens(doc.title)) {
      const list = postingsByToken.get(token);
      if (list) list.push(id);
      else postingsByToken.set(token, [id]);
      postings++;
    }
  }
  const shards = shardCountFor(postings);
  const byShard: string[][] = Array.from({ length: shards }, () => []);
  for (const [token, ids] of postingsByToken) {
    // Delta-encoded ascending ids keep the numbers (and the files) small.
    let last = 0;
    const deltas = ids.map((id) => {
      const d = id - last;
      last = id;
      return d;
    });
    (byShard[hashToken(token) % shards] as string[]).push(`${JSON.stringify(token)}:[${deltas.join(",")}]`);
  }
  const files = new Map<string, string>();
  byShard.forEach((entries, i) => {
    entries.sort();
    files.set(`search/s/${i}.js`, `newsarkShard(${i},{${entries.join(",")}});\n`);
  });
  for (let c = 0; c * DOC_CHUNK < docs.length; c++) {
    const rows = docs
      .slice(c * DOC_CHUNK, (c + 1) * DOC_CHUNK)
      .map((d) => (d ? JSON.stringify([d.title, d.source, d.n, d.date, d.gone]) : "0"));
    files.set(`search/d/${c}.js`, `newsarkDocs(${c},[${rows.join(",\n")}]);\n`);
  }
  const meta = { shards, chunk: DOC_CHUNK, docs: docs.length, sources };
  files.set("search/meta.js", `window.NEWSARK_SEARCH=${JSON.stringify(meta)};\n`);
  return { files, shards, postings };
}

/**
 * Turns the compiled tokenizer module (ES module plus its JSON data) into a classic script that sets
 * `window.NewsarkTokenize`. Module scripts are refused on file:// pages, and readers open clones from
 * disk, so the site loads only classic scripts. Throws when the module uses a form it cannot convert,
 * so a tokenizer change that breaks the site fails the build tests rather than the reader's search.
 */
export function tokenizerScript(modulePath = defaultTokenizerPath()): string {
  let code = readFileSync(modulePath, "utf8");
  const dir = dirname(modulePath);
  code = code.replace(
    /^import\s+([\w$]+)\s+from\s+"(\.{1,2}\/[^"]+\.json)"\s+with\s*\{\s*type:\s*"json"\s*\};?\s*$/gm,
    (_m, name: string, rel: string) => {
      const data = JSON.parse(readFileSync(jsonPath(dir, rel), "utf8")) as unknown;
      return `const ${name} = ${JSON.stringify(data)};`;
    },
  );
  if (/^\s*import[\s{*]/m.test(code) || /^\s*export\s*(\{|\*|default)/m.test(code)) {
    throw new Error(`site: cannot turn ${modulePath} into a classic script (imports or export lists)`);
  }
  const names: string[] = [];
  code = code.replace(/^export\s+((?:async\s+)?(?:function\*?|const|let|var|class)\s+([\w$]+))/gm, (_m, decl, name) => {
    names.push(name);
    return decl;
  });
  return `(function () {\n"use strict";\n${code}\nwindow.NewsarkTokenize = { ${names.join(", ")} };\n})();\n`;
}

/** The JSON may sit next to the compiled module (tsc copies imported JSON) or only in the sources. */
function jsonPath(dir: string, rel: string): string {
  const next = resolve(dir, rel);
  return existsSync(next) ? next : resolve(repoRoot(), "src", "search", rel);
}

function repoRoot(): string {
  // dist*/src/publish/site/ → repository root.
  return resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
}

function defaultTokenizerPath(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "../../search/tokenize.js");
}
