/**
 * A synthetic corpus shaped like the feeds newsark archives: RSS 2.0 feeds of Chinese-language outlets
 * with 10–40 character titles, 2–12 KB multi-line HTML bodies (paragraphs, captioned images, links),
 * RFC-822 dates in GMT or +0800, guids and the feedx footer. Every byte follows from a seed, so two
 * bench runs measure the same work.
 */

/** Seeded PRNG (mulberry32): fast, and good enough to vary text and sizes. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

/** Outlets the real archives follow; names are the list names users see. */
const OUTLETS = [
  { name: "美国之音", host: "www.voachinese.com" },
  { name: "BBC中文", host: "www.bbc.com" },
  { name: "德国之声", host: "www.dw.com" },
  { name: "法广", host: "www.rfi.fr" },
  { name: "自由亚洲电台", host: "www.rfa.org" },
  { name: "纽约时报中文网", host: "cn.nytimes.com" },
  { name: "中国数字时代", host: "chinadigitaltimes.net" },
  { name: "联合早报", host: "www.zaobao.com.sg" },
  { name: "端传媒", host: "theinitium.com" },
  { name: "路透中文网", host: "cn.reuters.com" },
] as const;

const WORDS = [
  "中国",
  "国防部长",
  "俄罗斯",
  "白俄罗斯",
  "军事",
  "关系",
  "合作",
  "访问",
  "总统",
  "政府",
  "经济",
  "发展",
  "国际",
  "安全",
  "会议",
  "论坛",
  "表示",
  "指出",
  "认为",
  "分析人士",
  "外界",
  "消息",
  "报道",
  "记者",
  "北京",
  "台湾",
  "香港",
  "上海",
  "美国",
  "日本",
  "欧洲",
  "联盟",
  "海上",
  "联合",
  "巡航",
  "演习",
  "防务",
  "部门",
  "企业",
  "产品",
  "合同",
  "价值",
  "进口",
  "出口",
  "数量",
  "大幅",
  "增加",
  "减少",
  "政策",
  "协调",
  "世界",
  "秩序",
  "影响力",
  "西方",
  "盟友",
  "挑战",
  "威胁",
  "框架",
  "承诺",
  "和平",
  "稳定",
  "积极",
  "贡献",
  "今年",
  "上月",
  "周二",
  "近日",
  "此前",
  "随后",
  "目前",
  "已经",
  "正在",
  "继续",
  "进一步",
  "彰显",
  "推动",
  "人权",
  "律师",
  "法院",
  "判决",
  "抗议",
  "网民",
  "审查",
  "删除",
  "文章",
  "社交媒体",
  "平台",
  "疫情",
  "房地产",
  "股市",
  "失业率",
  "青年",
  "工厂",
  "供应链",
  "制裁",
  "芯片",
  "科技",
  "能源",
  "石油",
  "天然气",
];

const NAMES = [
  "（Dmitry Mezentsev）",
  "（Vladimir Putin）",
  "（Sergei Shoigu）",
  "（Alexander Lukashenko）",
  "（Mike Rogers）",
  "（Antony Blinken）",
  "（NATO）",
  "（AUKUS）",
  "（WL-2）",
  "（Reuters）",
  "（AFP）",
  "（BRICS）",
];

const TITLE_PUNCT = ["：", " ", "，", "　", "？", "！"];

/** A title of 10–40 characters, sometimes with a `&` or quotes, as outlets write them. */
export function makeTitle(random: () => number): string {
  const want = 10 + Math.floor(random() * 31);
  let title = "";
  while (title.length < want) {
    title += pick(random, WORDS);
    if (random() < 0.15 && title.length < want - 4) title += pick(random, TITLE_PUNCT);
    if (random() < 0.03) title += "“2023”";
    if (random() < 0.02) title += " & ";
  }
  return title.slice(0, want).trim() || "新闻";
}

function sentence(random: () => number): string {
  const words = 6 + Math.floor(random() * 14);
  let text = "";
  for (let i = 0; i < words; i++) {
    text += pick(random, WORDS);
    if (random() < 0.06) text += pick(random, NAMES);
    if (random() < 0.04) text += `${Math.floor(random() * 10000)}`;
    if (i < words - 1 && random() < 0.18) text += "，";
  }
  return `${text}${random() < 0.1 ? "？" : "。"}`;
}

/** The footer feedx.net appends to every item it mirrors. */
const FEEDX_FOOTER =
  '<br><hr><div>获取更多RSS：<br><a href="https://feedx.net" style="color:orange" target="_blank">https://feedx.net</a> <br><a href="https://feedx.best" style="color:orange" target="_blank">https://feedx.best</a><br></div>';

function imageBlock(random: () => number, host: string, caption: string, framed: boolean): string {
  const id = Math.floor(random() * 0xffffffff)
    .toString(16)
    .padStart(8, "0");
  const src = `https://images.weserv.nl?url=${host}/${id}-5894-4bd2-abd7-95762e943ca9_w900.jpg`;
  const small = `<div><small style="color: #999;">${caption}</small></div>`;
  return framed
    ? `<div ><img  src="${src}" alt="${caption}" border="0"/>${small}</div>`
    : `<img src="${src}" width="100%">${small}`;
}

/** A multi-line HTML body of `targetBytes` (UTF-8) or a little more, ending with the feedx footer. */
export function makeBody(random: () => number, host: string, dateText: string, targetBytes: number): string {
  const parts = [`<div><i>${dateText}</i></div>${imageBlock(random, host, sentence(random), false)}`];
  let bytes = Buffer.byteLength(parts[0] as string);
  while (bytes < targetBytes) {
    let p = "";
    const sentences = 1 + Math.floor(random() * 5);
    for (let i = 0; i < sentences; i++) p += sentence(random);
    if (random() < 0.3) {
      const at = Math.floor(random() * p.length);
      const href = `https://${host}/a/${Math.floor(random() * 1e7)}.html?from=rss&amp;utm_source=feed`;
      p = `${p.slice(0, at)}<a href="${href}">${pick(random, WORDS)}${pick(random, WORDS)}</a>${p.slice(at)}`;
    }
    const html =
      random() < 0.2
        ? `<p style="text-align:start"><span style="color:#000000">${p}</span></p>`
        : `<p style="text-align:start">${p}</p>`;
    const block = random() < 0.12 ? `${imageBlock(random, host, sentence(random), true)}\n${html}` : html;
    parts.push(block);
    bytes += Buffer.byteLength(block) + 1;
  }
  return `${parts.join("\n")}${FEEDX_FOOTER}`;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** RFC-822 date, in GMT or in China time (+0800), the two forms the real feeds use. */
export function rfc822(ms: number, chinaTime: boolean): string {
  const d = new Date(ms + (chinaTime ? 8 * 3600_000 : 0));
  const two = (n: number) => String(n).padStart(2, "0");
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${time} ${chinaTime ? "+0800" : "GMT"}`;
}

/** Items per feed, as feedx and most outlets serve them. */
export const ITEMS_PER_FEED = 50;
/** New items per source per hour. */
export const NEW_PER_HOUR = 3;
/** Publication time of item 0 of every source; item k is published k × 20 minutes later. */
export const EPOCH_MS = Date.UTC(2025, 0, 6, 0, 0, 0);
export const ITEM_SPACING_MS = 3600_000 / NEW_PER_HOUR;

/** One synthetic source: its archive id, list name, feed path and date style. */
export interface SyntheticSource {
  index: number;
  id: string;
  name: string;
  host: string;
  chinaTime: boolean;
  /** Bodies entity-escaped instead of in CDATA (some outlets do this). */
  escaped: boolean;
}

/** The `count` sources of a corpus; names repeat outlets with a number so list file names stay unique. */
export function makeSources(count: number): SyntheticSource[] {
  return Array.from({ length: count }, (_, i) => {
    const outlet = OUTLETS[i % OUTLETS.length] as (typeof OUTLETS)[number];
    const round = Math.floor(i / OUTLETS.length);
    return {
      index: i,
      id: `s${String(i + 1).padStart(2, "0")}`,
      name: round === 0 ? outlet.name : `${outlet.name}${round + 1}`,
      host: outlet.host,
      chinaTime: i % 2 === 1,
      escaped: i % 5 === 4,
    };
  });
}

/** What an item of the stream is, without its body (enough for archive state). */
export interface ItemHead {
  k: number;
  title: string;
  link: string;
  published: number;
}

/** Item k of a source's stream (k may be negative: items published before the bench's first hour). */
export function itemHead(source: SyntheticSource, k: number): ItemHead {
  const random = prng(source.index * 1_000_003 + k * 7919 + 17);
  const title = makeTitle(random);
  const link = `https://${source.host}/a/${source.id}-news-${k + 1_000_000}/${7_000_000 + k}.html`;
  return { k, title, link, published: EPOCH_MS + k * ITEM_SPACING_MS };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Item k as RSS 2.0 XML; bodies are 2–12 KB. */
export function itemXml(source: SyntheticSource, k: number): string {
  const head = itemHead(source, k);
  const random = prng(source.index * 7_368_787 + k * 104_729 + 3);
  const size = 2048 + Math.floor(random() * 10240);
  const date = rfc822(head.published, source.chinaTime);
  const body = makeBody(random, source.host, date, size);
  const description = source.escaped ? escapeXml(body) : `<![CDATA[${body}]]>`;
  const category =
    random() < 0.7 ? `<category>${pick(random, ["国际", "中国", "台湾", "港澳", "经济"])}</category>` : "";
  return (
    `<item>\n<title>${escapeXml(head.title)}</title>\n<link>${head.link}</link>\n` +
    `<guid isPermaLink="true">${head.link}</guid>\n<pubDate>${date}</pubDate>\n${category}` +
    `<description>${description}</description>\n</item>\n`
  );
}

/** Newest item number served at `hour`: the feed then lists items newest-k down to newest-k − 49. */
export function newestItem(hour: number): number {
  return ITEMS_PER_FEED - 1 + hour * NEW_PER_HOUR;
}

/** Publication time of the newest item at `hour`; feeds send it as Last-Modified. */
export function snapshotTime(hour: number): number {
  return EPOCH_MS + newestItem(hour) * ITEM_SPACING_MS;
}

/** The whole feed of a source at `hour`, newest item first; `cache` keeps item XML across hours. */
export function feedXml(source: SyntheticSource, hour: number, cache?: Map<number, string>): string {
  const newest = newestItem(hour);
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n',
    `<title>${source.name}</title>\n<link>https://${source.host}/</link>\n<description>${source.name} - feedx</description>\n`,
    `<language>zh-cn</language>\n<lastBuildDate>${rfc822(snapshotTime(hour), source.chinaTime)}</lastBuildDate>\n`,
    `<atom:link href="https://feedx.net/rss/${source.id}.xml" rel="self" type="application/rss+xml"/>\n`,
  ];
  for (let k = newest; k > newest - ITEMS_PER_FEED; k--) {
    let xml = cache?.get(k);
    if (xml === undefined) {
      xml = itemXml(source, k);
      cache?.set(k, xml);
    }
    parts.push(xml);
  }
  parts.push("</channel>\n</rss>\n");
  return parts.join("");
}
