/**
 * Measures FTS5 layouts for the catalog on a realistic archive (real paragraphs recombined), so the
 * choice in src/store/sqlite/ rests on figures: index size against article bytes, bulk-load time,
 * and query latency for one- and two-character and multi-term queries.
 *
 *     npm run bench -- fts-options [--articles 20000]
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { htmlToText } from "../src/search/html.js";
import { archivedSourceIds, archiveEntries } from "../src/search/index.js";
import { indexText, parseQuery } from "../src/search/tokenize.js";
import { makeSources, prng } from "./corpus.js";
import { readRealPieces, writeRealArchive } from "./real-corpus.js";
import { percentile } from "./search.js";

const VARIANTS: Record<string, string> = {
  "detail=full prefix='1'": "detail=full, prefix='1'",
  "detail=full, no prefix": "detail=full",
  "detail=column prefix='1' (no phrases)": "detail=column, prefix='1'",
  "detail=column, no prefix (no phrases)": "detail=column",
};

/** Queries drawn from the sample's own text: 1-, 2- and 4-character runs, and two-term queries. */
function sampleQueries(texts: string[], random: () => number): { kind: string; q: string }[] {
  const out: { kind: string; q: string }[] = [];
  const run = (len: number) => {
    for (;;) {
      const t = texts[Math.floor(random() * texts.length)] as string;
      const at = Math.floor(random() * Math.max(1, t.length - len));
      const s = t.slice(at, at + len);
      if (new RegExp(`^[\\u4e00-\\u9fff]{${len}}$`).test(s)) return s;
    }
  };
  for (let i = 0; i < 40; i++) out.push({ kind: "1 char", q: run(1) });
  for (let i = 0; i < 80; i++) out.push({ kind: "2 chars", q: run(2) });
  for (let i = 0; i < 40; i++) out.push({ kind: "4 chars", q: run(4) });
  for (let i = 0; i < 40; i++) out.push({ kind: "2 terms", q: `${run(2)} ${run(3)}` });
  return out;
}

/** Loads `count` realistic articles into each variant and prints size, load time and latencies. */
export async function benchFtsOptions(count: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "newsark-fts-options-"));
  try {
    const sources = makeSources(9);
    const bytes = writeRealArchive(dir, sources, Math.ceil(count / 9), readRealPieces(), false);
    const rows: { id: number; title: string; body: string }[] = [];
    const used = new Set<number>();
    for (const e of archiveEntries(dir, archivedSourceIds(dir))) {
      // Ids as the catalog makes them: published second × 256 + a free slot (newest first = rowid order).
      let id = Math.floor(e.published / 1000) * 256;
      while (used.has(id)) id++;
      used.add(id);
      rows.push({ id, title: indexText(e.title), body: indexText(htmlToText(e.content)) });
    }
    const texts = rows.slice(0, 500).map((r) => r.body.replace(/ /g, ""));
    const queries = sampleQueries(texts, prng(7));
    console.log(`${rows.length} articles, ${(bytes / 1e6).toFixed(0)} MB of article files`);
    for (const [name, options] of Object.entries(VARIANTS)) {
      const file = join(dir, `${name.replace(/\W+/g, "_")}.sqlite`);
      const db = new Database(file);
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      db.exec(
        `CREATE VIRTUAL TABLE fts USING fts5 (title, body, content='', contentless_delete=1, tokenize='ascii', ${options})`,
      );
      const insert = db.prepare("INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)");
      const t0 = performance.now();
      for (let i = 0; i < rows.length; i += 2000) {
        db.transaction(() => {
          for (let k = i; k < Math.min(rows.length, i + 2000); k++) {
            const r = rows[k] as { id: number; title: string; body: string };
            insert.run(r.id, r.title, r.body);
          }
        })();
        db.pragma("wal_checkpoint(TRUNCATE)");
      }
      const loadMs = performance.now() - t0;
      const size = statSync(file).size;
      const times = new Map<string, number[]>();
      let failed = 0;
      for (const { kind, q } of queries) {
        const match = parseQuery(q)
          .map((t) => `"${t.tokens.join(" ")}"${t.prefix ? " *" : ""}`)
          .join(" AND ");
        const s = performance.now();
        try {
          db.prepare(
            "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 10, 1), rowid DESC LIMIT 20",
          ).all(match);
        } catch {
          failed++;
        }
        times.set(kind, [...(times.get(kind) ?? []), performance.now() - s]);
      }
      db.close();
      const lat = [...times].map(([k, t]) => {
        t.sort((a, b) => a - b);
        return `${k} p50/p95 ${percentile(t, 50).toFixed(1)}/${percentile(t, 95).toFixed(1)} ms`;
      });
      console.log(
        `${name}: ${(size / 1e6).toFixed(0)} MB (${(size / bytes).toFixed(2)} × articles), load ${(loadMs / 1000).toFixed(1)} s; ${lat.join("; ")}${failed ? `; ${failed} queries failed` : ""}`,
      );
      rmSync(file, { force: true });
      rmSync(`${file}-wal`, { force: true });
      rmSync(`${file}-shm`, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchFtsOptions(Number(process.argv[2] ?? 20_000));
}
