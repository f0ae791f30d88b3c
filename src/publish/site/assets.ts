/**
 * The site's two static assets. They live in TypeScript so they ship inside dist/ with the package:
 * the stylesheet as a string, the search script as a typed function that the build writes out with
 * `Function.prototype.toString` (it must not refer to anything outside itself).
 */

/** One small stylesheet: system fonts with CJK fallbacks, readable on a phone. */
export const siteCss = `*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0 auto;max-width:46rem;padding:0 1rem 3rem;font:17px/1.75 system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;color:#222;background:#fff;word-wrap:break-word;overflow-wrap:anywhere}
a{color:#0645ad}
nav.top{display:flex;gap:1rem;padding:.6rem 0;border-bottom:1px solid #ddd;margin-bottom:1rem}
nav.top a{text-decoration:none;font-weight:600}
h1{font-size:1.5rem;line-height:1.4;margin:.5rem 0}
h2{font-size:1.2rem}
.meta,.crumb,.note,small{color:#666;font-size:.9rem}
.gone{color:#b00;font-weight:600}
.note{background:#fff8e1;padding:.4rem .6rem}
ul.list,ol.list{list-style:none;padding:0}
.list li{padding:.35rem 0;border-bottom:1px solid #f0f0f0}
.list time{color:#888;font-size:.85rem;margin-right:.4rem;font-variant-numeric:tabular-nums}
.content img,.content video{max-width:100%;height:auto}
.content table{display:block;overflow-x:auto;border-collapse:collapse}
.content pre{overflow-x:auto}
.content blockquote{margin:1rem 0;padding-left:1rem;border-left:3px solid #ddd;color:#444}
.embed a{display:inline-block;padding:.3rem .6rem;border:1px solid #ccc;border-radius:4px;text-decoration:none}
.pager{margin:1rem 0;line-height:2.2}
.pager a,.pager b{display:inline-block;min-width:2rem;text-align:center}
form.search{display:flex;gap:.5rem;margin:1rem 0}
form.search input{flex:1;font-size:1rem;padding:.45rem;border:1px solid #bbb;border-radius:4px;min-width:0}
form.search button{font-size:1rem;padding:.45rem .9rem}
@media (prefers-color-scheme:dark){body{background:#161616;color:#ddd}a{color:#8ab4f8}.list li{border-color:#2a2a2a}nav.top{border-color:#333}.note{background:#332d12}}
`;

/** Globals the search page gets from search/meta.js and search/tokenize.js, and the JSONP callbacks. */
interface SearchGlobals {
  NEWSARK_SEARCH?: { shards: number; chunk: number; docs: number; sources: [string, string][] };
  NewsarkTokenize?: {
    fold: (text: string) => string;
    parseQuery: (query: string) => { text: string; tokens: string[]; prefix: boolean }[];
  };
  newsarkShard?: (i: number, data: Record<string, number[]>) => void;
  newsarkDocs?: (c: number, rows: (0 | [string, number, number, string, number])[]) => void;
}

/**
 * The in-browser search of search.html. Shards and doc chunks are loaded as classic scripts that call
 * a global callback, which works on file:// where fetch() of a local file is refused.
 */
export function searchApp(): void {
  const g = window as unknown as SearchGlobals;
  const status = document.getElementById("status") as HTMLElement;
  const list = document.getElementById("results") as HTMLElement;
  const input = document.querySelector('input[name="q"]') as HTMLInputElement | null;
  const query = new URLSearchParams(location.search).get("q") ?? "";
  if (input) input.value = query;
  if (query.trim() === "") return;
  const meta = g.NEWSARK_SEARCH;
  const tk = g.NewsarkTokenize;
  if (!meta || !tk) {
    status.textContent = "搜索索引未能加载。";
    return;
  }
  const waiting = new Map<string, (value: unknown) => void>();
  const loaded = new Map<string, Promise<unknown>>();
  g.newsarkShard = (i, data) => waiting.get(`s/${i}`)?.(data);
  g.newsarkDocs = (c, rows) => waiting.get(`d/${c}`)?.(rows);
  const load = (key: string): Promise<unknown> => {
    let p = loaded.get(key);
    if (!p) {
      p = new Promise((resolve, reject) => {
        waiting.set(key, resolve);
        const script = document.createElement("script");
        script.src = `search/${key}.js`;
        script.onerror = () => reject(new Error(key));
        document.head.appendChild(script);
      });
      loaded.set(key, p);
    }
    return p;
  };
  // Must equal hashToken in search-index.ts: 32-bit FNV-1a over UTF-16 code units.
  const hashToken = (token: string): number => {
    let h = 0x811c9dc5;
    for (let i = 0; i < token.length; i++) {
      h ^= token.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
  };
  const compact = (text: string): string => tk.fold(text).replace(/[^\p{L}\p{N}]+/gu, "");
  const show = (text: string) => {
    status.textContent = text;
  };
  const run = async () => {
    const terms = tk.parseQuery(query);
    const tokens = [...new Set(terms.flatMap((t) => t.tokens))];
    if (tokens.length === 0) {
      show("没有可搜索的词。");
      return;
    }
    show("搜索中…");
    const shards = await Promise.all(
      tokens.map((t) => load(`s/${hashToken(t) % meta.shards}`) as Promise<Record<string, number[]>>),
    );
    let candidates: number[] | undefined;
    tokens.forEach((token, k) => {
      const deltas = shards[k]?.[token] ?? [];
      let id = 0;
      const ids = deltas.map((d) => {
        id += d;
        return id;
      });
      if (candidates === undefined) candidates = ids;
      else {
        const set = new Set(ids);
        candidates = candidates.filter((c) => set.has(c));
      }
    });
    const found = (candidates ?? []).reverse();
    const wanted = terms.map((t) => compact(t.text));
    const results: [string, number, number, string, number][] = [];
    // Titles are checked against the whole terms, since tokens alone do not prove the words are adjacent.
    for (let i = 0; i < found.length && results.length < 100; i += 50) {
      const batch = found.slice(i, i + 50);
      const chunks = await Promise.all(
        batch.map(
          (id) =>
            load(`d/${Math.floor(id / meta.chunk)}`) as Promise<
              (0 | [string, number, number, string, number])[]
            >,
        ),
      );
      batch.forEach((id, k) => {
        const row = chunks[k]?.[id % meta.chunk];
        if (row && wanted.every((w) => compact(row[0]).includes(w))) results.push(row);
      });
    }
    list.textContent = "";
    for (const [title, source, n, date, gone] of results) {
      const [id, name] = meta.sources[source] ?? ["", ""];
      const li = document.createElement("li");
      const time = document.createElement("time");
      time.textContent = date;
      const a = document.createElement("a");
      a.href = `a/${id}/${n}.html`;
      a.textContent = title;
      const small = document.createElement("small");
      small.textContent = ` ${name}${gone ? "（原文已删除）" : ""}`;
      li.append(time, " ", a, small);
      list.appendChild(li);
    }
    show(
      results.length === 0
        ? "没有找到。"
        : `找到 ${found.length > 100 ? `约 ${found.length}` : results.length} 条。`,
    );
  };
  run().catch(() => show("搜索索引未能加载。"));
}

/** The search script as written into the site. */
export function searchScript(): string {
  return `(${searchApp.toString()})();\n`;
}
