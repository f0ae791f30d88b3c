/**
 * Archive folders for the bench: a fresh one per first-run measurement, and a 100,000-article one
 * built directly from the store's own formats (article files, state lines) so it takes seconds.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ArticleRecord } from "../src/model/article.js";
import { formatArticle } from "../src/store/files/article-format.js";
import { archivePaths, FIRST_N } from "../src/store/files/paths.js";
import { formatSourceState, makeSourceState } from "../src/store/files/state.js";
import { itemHead, makeBody, prng, rfc822, type SyntheticSource } from "./corpus.js";
import type { FeedServer } from "./feed-server.js";
import { NEWSARK_BIN, type ProcessRun, type RssProbe, runNode } from "./measure.js";

/** A new archive folder below `parent` whose newsark.yaml lists `sources` served by `server`. */
export function freshArchive(parent: string, sources: SyntheticSource[], server: FeedServer): string {
  const root = mkdtempSync(join(parent, "archive-"));
  const lines = [
    "timezone: Asia/Shanghai",
    // Real sources sit on different hosts; here they share 127.0.0.1, so the per-host limit is
    // raised to the global one to fetch as many feeds at once as a real run does.
    "fetch:",
    "  perHost: 8",
    "sources:",
    ...sources.map((s) => `  - { id: ${s.id}, name: "${s.name}", url: "${server.url(s)}" }`),
  ];
  writeFileSync(join(root, "newsark.yaml"), `${lines.join("\n")}\n`);
  return root;
}

/** The per-source part of `newsark run --json` that the bench checks. */
export interface RunSummary {
  sources: number;
  fetched: number;
  new: number;
  changed: number;
  unchanged: number;
  errors: string[];
}

/** Reads the JSON report of a run; throws with the child's stderr when the run failed. */
export function summarize(run: ProcessRun, what: string): RunSummary {
  if (run.code !== 0)
    throw new Error(`${what}: newsark exited ${run.code}: ${run.stderr.trim().slice(0, 500)}`);
  const report = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as {
    sources?: { fetched: boolean; new: number; changed: number; unchanged: number; error: string | null }[];
  };
  const list = report.sources ?? [];
  return {
    sources: list.length,
    fetched: list.filter((s) => s.fetched).length,
    new: list.reduce((n, s) => n + s.new, 0),
    changed: list.reduce((n, s) => n + s.changed, 0),
    unchanged: list.reduce((n, s) => n + s.unchanged, 0),
    errors: list.flatMap((s) => (s.error ? [s.error] : [])),
  };
}

/** Spawns `newsark run --json --quiet` in `root`. */
export function runNewsark(root: string, probe: RssProbe, scratch: string): Promise<ProcessRun> {
  return runNode([NEWSARK_BIN, "run", "--json", "--quiet"], {
    cwd: root,
    probe,
    scratch,
    timeoutMs: 120_000,
  });
}

/** Checks a run did what the scenario expects, so a broken run is never reported as a fast one. */
export function expect(summary: RunSummary, what: string, want: Partial<RunSummary>): void {
  if (summary.errors.length > 0)
    throw new Error(`${what}: ${summary.errors.length} source(s) failed: ${summary.errors[0]}`);
  for (const [key, value] of Object.entries(want)) {
    const got = summary[key as keyof RunSummary];
    if (got !== value) throw new Error(`${what}: expected ${key} = ${String(value)}, got ${String(got)}`);
  }
}

/** The title and body of the archived article j (1 = newest) of a source. */
export type ArchivedArticle = (source: SyntheticSource, j: number) => { title?: string; content: string };

/**
 * Writes `perSource` archived articles for every source into `root` (article files, and state lines
 * when `withState`): the items each source published before hour 0 (k = -1, -2, …), the oldest with
 * the highest number as the archiver numbers them. Returns the bytes of article files written.
 */
export function writeArchive(
  root: string,
  sources: SyntheticSource[],
  perSource: number,
  article: ArchivedArticle,
  withState: boolean,
): number {
  let bytes = 0;
  for (const source of sources) {
    const dir = archivePaths.articlesDir(root, source.id);
    mkdirSync(dir, { recursive: true });
    const records: ArticleRecord[] = [];
    for (let j = perSource; j >= 1; j--) {
      const head = itemHead(source, -j);
      const n = FIRST_N - 1 - (perSource - j);
      const { title = head.title, content } = article(source, j);
      const text = formatArticle({ published: head.published, title, url: head.link, content });
      writeFileSync(join(dir, `${n}.md`), text);
      bytes += Buffer.byteLength(text);
      const hash = ((j * 2654435761 + source.index) >>> 0).toString(16).padStart(8, "0");
      records.push({
        n,
        key: `g:${head.link}`,
        published: head.published,
        seen: head.published + 60_000,
        hash: `${hash}${hash}`,
        title,
        versions: 0,
      });
    }
    if (withState) {
      mkdirSync(join(root, "state"), { recursive: true });
      writeFileSync(archivePaths.state(root, source.id), formatSourceState(makeSourceState(records).records));
    }
  }
  return bytes;
}

/**
 * Writes `perSource` archived articles with state for every source into `root`. Bodies come from a
 * small pool because what a run costs depends on file and line counts, not on the words in old
 * articles. Returns the number of articles written.
 */
export function writeLargeArchive(root: string, sources: SyntheticSource[], perSource: number): number {
  const random = prng(99);
  const pool = Array.from({ length: 64 }, (_, i) =>
    makeBody(random, "www.voachinese.com", rfc822(i * 1e9, false), 2048 + random() * 10240).replace(
      /\n/g,
      "",
    ),
  );
  const content = (source: SyntheticSource, j: number) => pool[(j + source.index) % pool.length] as string;
  writeArchive(root, sources, perSource, (source, j) => ({ content: content(source, j) }), true);
  return perSource * sources.length;
}
