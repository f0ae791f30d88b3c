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
form.search,div.search{display:flex;gap:.5rem;margin:1rem 0}
.search input{flex:1;font-size:1rem;padding:.45rem;border:1px solid #bbb;border-radius:4px;min-width:0}
.search button{font-size:1rem;padding:.45rem .9rem}
.snippet{margin:.2rem 0 0;color:#555;font-size:.9rem;line-height:1.6}
mark{background:#ffe58a;color:inherit;padding:0 .05em}
.filters{display:flex;flex-wrap:wrap;gap:.5rem;margin:-.5rem 0 1rem;font-size:.9rem}
.filters select,.filters input{font-size:.9rem;padding:.3rem}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #1a73e8;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.skip:focus{left:.5rem}
ins{background:#d4f7d4;text-decoration:none}
del{background:#ffd6d6;color:#900}
.diff{white-space:pre-wrap;line-height:1.9;font-size:.95rem}
.changes{border:1px solid #ddd;border-radius:4px;padding:0 .8rem;margin:1rem 0}
.cut{color:#999}
@media (prefers-color-scheme:dark){body{background:#161616;color:#ddd}a{color:#8ab4f8}.list li{border-color:#2a2a2a}nav.top{border-color:#333}.note{background:#332d12}mark{background:#6b5800}ins{background:#1e4620}del{background:#5a1e1e;color:#fbb}.snippet{color:#aaa}.skip{background:#161616}}
`;

/** A doc table row: title, source index, article number, date, gone flag, lead text; 0 for a dropped id. */
type DocRow = 0 | [string, number, number, string, number, string, string?];

/** The site's icon: every page links it, so no page asks a static host for a /favicon.ico it lacks. */
export const favicon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0645ad"/><path d="M4 12V4h2l4 5V4h2v8h-2L6 7v5z" fill="#fff"/></svg>
`;

/** Globals the search page gets from search/meta.js and search/tokenize.js, and the JSONP callbacks. */
interface SearchGlobals {
  NEWSARK_SEARCH?: {
    shards: number;
    chunk: number;
    docs: number;
    sources: [string, string][];
    segments?: [string, number][];
    titles?: [string, number][];
  };
  NewsarkTokenize?: {
    fold: (text: string) => string;
    foldWithOrigin: (text: string) => { folded: string; origin: number[] };
    parseQuery: (query: string) => { text: string; tokens: string[]; prefix: boolean; units: string[] }[];
  };
  newsarkShard?: (i: number, data: Record<string, number[]>) => void;
  newsarkTitles?: (key: string, data: Record<string, number[]>) => void;
  newsarkDocs?: (c: number, rows: DocRow[]) => void;
  newsarkBody?: (key: string, data: Record<string, string>) => void;
}

/**
 * The in-browser search of search.html. Index files are loaded as classic scripts that call a global
 * callback, which works on file:// where fetch() of a local file is refused. Titles and bodies are
 * searched (the full-text segments); title matches rank first, then newer articles.
 */
export function searchApp(): void {
  const g = window as unknown as SearchGlobals;
  const status = document.getElementById("status") as HTMLElement;
  const list = document.getElementById("results") as HTMLElement;
  const more = document.getElementById("more") as HTMLButtonElement | null;
  const form = document.querySelector('form[role="search"]') as HTMLFormElement | null;
  const params = new URLSearchParams(location.search);
  const query = params.get("q") ?? "";
  const sourceFilter = params.get("source") ?? "";
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const meta = g.NEWSARK_SEARCH;
  const tk = g.NewsarkTokenize;
  const setField = (name: string, value: string) => {
    const field = form?.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
    if (field) field.value = value;
  };
  const select = form?.elements.namedItem("source") as HTMLSelectElement | null;
  if (select && meta) {
    for (const [id, name] of meta.sources) {
      const option = document.createElement("option");
      option.value = id;
      option.textContent = name;
      select.appendChild(option);
    }
  }
  setField("q", query);
  setField("source", sourceFilter);
  setField("from", from);
  setField("to", to);
  if (query.trim() === "") return;
  if (!meta || !tk) {
    status.textContent = "搜索索引未能加载。";
    return;
  }
  const waiting = new Map<string, (value: unknown) => void>();
  const loaded = new Map<string, Promise<unknown>>();
  g.newsarkShard = (i, data) => waiting.get(`s/${i}`)?.(data);
  g.newsarkTitles = (key, data) => waiting.get(`t/${key}`)?.(data);
  g.newsarkDocs = (c, rows) => waiting.get(`d/${c}`)?.(rows);
  g.newsarkBody = (key, data) => waiting.get(`b/${key}`)?.(data);
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
  // Must equal decodeIds in text-index.ts.
  const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  const decodeIds = (text: string): number[] => {
    const ids: number[] = [];
    let i = 0;
    const readNumber = () => {
      let v = 0;
      for (;;) {
        const d = ALPHABET.indexOf(text[i++] ?? "0");
        if (d < 32) return v * 32 + d;
        v = v * 32 + d - 32;
      }
    };
    if (text.startsWith("~")) {
      i = 1;
      const first = readNumber();
      for (let k = 0; i < text.length; i++, k++) {
        const b = ALPHABET.indexOf(text[i] ?? "0");
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
  };
  const intersect = (lists: number[][]): number[] => {
    if (lists.length === 0) return [];
    let out = lists[0] as number[];
    for (const list of lists.slice(1)) {
      const set = new Set(list);
      out = out.filter((id) => set.has(id));
    }
    return out;
  };
  const compact = (text: string): string => tk.fold(text).replace(/[^\p{L}\p{N}]+/gu, "");
  const show = (text: string) => {
    status.textContent = text;
  };
  /** Appends `text` to `parent` with every folded occurrence of a needle wrapped in <mark>. */
  const marked = (parent: HTMLElement, text: string, needles: string[]) => {
    const { folded, origin } = tk.foldWithOrigin(text);
    const ranges: [number, number][] = [];
    for (const needle of needles) {
      if (needle === "") continue;
      for (let at = folded.indexOf(needle); at !== -1; at = folded.indexOf(needle, at + needle.length))
        ranges.push([origin[at] as number, origin[at + needle.length] as number]);
    }
    ranges.sort((a, b) => a[0] - b[0]);
    let last = 0;
    for (const [start, end] of ranges) {
      if (start < last) continue;
      parent.append(text.slice(last, start));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(start, end);
      parent.append(mark);
      last = end;
    }
    parent.append(text.slice(last));
  };
  const PAGE = 10;
  const run = async () => {
    const terms = tk.parseQuery(query);
    const titleTokens = [...new Set(terms.flatMap((t) => t.tokens))];
    if (titleTokens.length === 0) {
      show("没有可搜索的词。");
      return;
    }
    show("搜索中…");
    // Titles: the title index (it also knows single characters) and the segments later builds added.
    const perTitleToken = await Promise.all(
      titleTokens.map(async (token) => {
        const h = hashToken(token);
        const parts = (await Promise.all([
          load(`s/${h % meta.shards}`),
          ...(meta.titles ?? []).map(([name, shards]) => load(`t/${name}/${h % shards}`)),
        ])) as Record<string, number[]>[];
        return parts.flatMap((data) => {
          let id = 0;
          return (data[token] ?? []).map((d) => {
            id += d;
            return id;
          });
        });
      }),
    );
    const titleHits = intersect(perTitleToken);
    // Bodies: every segment's shard of every token; a term of one CJK character alone has no body token.
    const bodyTokens = [
      ...new Set(
        terms.flatMap((t) => t.tokens.filter((x) => !(t.prefix && x === t.tokens[t.tokens.length - 1]))),
      ),
    ];
    const everyTermHasBodyToken = terms.every((t) => t.tokens.length > (t.prefix ? 1 : 0));
    let bodyHits: number[] = [];
    if (everyTermHasBodyToken && bodyTokens.length > 0) {
      const segments = meta.segments ?? [];
      const perToken = await Promise.all(
        bodyTokens.map(async (token) => {
          const parts = await Promise.all(
            segments.map(
              ([name, shards]) =>
                load(`b/${name}/${hashToken(token) % shards}`) as Promise<Record<string, string>>,
            ),
          );
          return parts.flatMap((data) => decodeIds(data[token] ?? ""));
        }),
      );
      bodyHits = intersect(perToken);
    }
    const inTitle = new Set(titleHits);
    const inBody = new Set(bodyHits);
    const order = [
      ...titleHits.sort((a, b) => b - a),
      ...bodyHits.filter((id) => !inTitle.has(id)).sort((a, b) => b - a),
    ];
    const wanted = terms.map((t) => compact(t.text));
    const needles = terms.map((t) => tk.fold(t.text).trim()).filter((n) => n !== "");
    const sourceIndex = sourceFilter === "" ? -1 : meta.sources.findIndex(([id]) => id === sourceFilter);
    let next = 0;
    let shown = 0;
    // Reads rows in rank order until a page is full; filters and dropped ids are skipped. Bounded, so a
    // filter that matches nothing does not load the whole doc table.
    const page = async () => {
      const rows: Exclude<DocRow, 0>[] = [];
      let scanned = 0;
      while (next < order.length && rows.length < PAGE && scanned < 2000) {
        const batch = order.slice(next, next + PAGE);
        next += batch.length;
        scanned += batch.length;
        const chunks = await Promise.all(
          batch.map((id) => load(`d/${Math.floor(id / meta.chunk)}`) as Promise<DocRow[]>),
        );
        batch.forEach((id, k) => {
          const row = chunks[k]?.[id % meta.chunk];
          if (!row || rows.length >= PAGE) return;
          if (inTitle.has(id) && !wanted.every((w) => compact(row[0]).includes(w))) {
            // Title tokens alone do not prove the words are adjacent; the body may still hold the phrase.
            if (!inBody.has(id)) return;
          }
          if (sourceIndex >= 0 && row[1] !== sourceIndex) return;
          if (from !== "" && row[3] < from) return;
          if (to !== "" && row[3] > to) return;
          rows.push(row);
        });
      }
      for (const [title, source, n, date, gone, lead, link] of rows) {
        const [id, name] = meta.sources[source] ?? ["", ""];
        const li = document.createElement("li");
        const time = document.createElement("time");
        time.textContent = date;
        const a = document.createElement("a");
        // An article left out of the site (site.maxBytes) links to its file or its original.
        a.href = link ?? `a/${id}/${n}.html`;
        marked(a, title, needles);
        const small = document.createElement("small");
        small.textContent = ` ${name}${gone ? "（原文已删除）" : ""}`;
        li.append(time, " ", a, small);
        if (lead) {
          const p = document.createElement("p");
          p.className = "snippet";
          marked(p, lead, needles);
          li.append(p);
        }
        list.appendChild(li);
      }
      shown += rows.length;
      if (more) more.hidden = next >= order.length;
      show(
        shown === 0
          ? "没有找到。"
          : `找到 ${order.length} 条${sourceIndex >= 0 || from || to ? "（筛选前）" : ""}，显示 ${shown} 条。`,
      );
    };
    list.textContent = "";
    if (more) {
      more.onclick = () => {
        more.disabled = true;
        page()
          .catch(() => show("搜索索引未能加载。"))
          .finally(() => {
            more.disabled = false;
          });
      };
    }
    await page();
  };
  run().catch(() => show("搜索索引未能加载。"));
}

/** The search script as written into the site. */
export function searchScript(): string {
  return `(${searchApp.toString()})();\n`;
}
