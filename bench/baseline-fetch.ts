/**
 * What the two baseline programs of `npm run bench -- small` share: GET a feed over node:http (the
 * same loopback server newsark fetches from), and read its items with fast-xml-parser.
 */
import { get } from "node:http";
import { XMLParser } from "fast-xml-parser";

/** The body of a feed, fetched without validators (neither baseline keeps any state). */
export function fetchText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      res.on("error", reject);
    }).on("error", reject);
  });
}

/** One RSS item as the baselines archive it. */
export interface BaselineItem {
  title: string;
  link: string;
  published: number;
  content: string;
}

const parser = new XMLParser({ ignoreAttributes: true, processEntities: true, parseTagValue: false });

/** The items of an RSS 2.0 feed. */
export function parseItems(xml: string): BaselineItem[] {
  const doc = parser.parse(xml) as { rss?: { channel?: { item?: unknown } } };
  const raw = doc.rss?.channel?.item;
  const list = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Record<string, unknown>[];
  return list.map((i) => ({
    title: String(i.title ?? ""),
    link: String(i.link ?? ""),
    published: Date.parse(String(i.pubDate ?? "")),
    content: String(i.description ?? "").replace(/\n/g, ""),
  }));
}

/** An article file in the archive's format. */
export function articleText(item: BaselineItem): string {
  return `<!--${item.published}-->\n[${item.title}](${item.link})\n------\n\n${item.content}\n`;
}
