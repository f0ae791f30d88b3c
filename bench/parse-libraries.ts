/**
 * Measures the parse room against other feed parsers: `npx tsc -p tsconfig.json && node dist/bench/parse-libraries.js`. Generates a 50-item feed with 2–12 KB
 * HTML bodies (CDATA and entity-escaped) and times parseFeed against the candidate libraries, whose
 * figures src/parse/README.md quotes.
 */
import { performance } from "node:perf_hooks";

/** A deterministic RSS 2.0 feed of `count` items with 2–12 KB HTML bodies. */
export function generateFeed(count: number, escaped: boolean): string {
  let seed = 1;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    "<channel><title>美国之音</title><link>https://www.voachinese.com/</link><description>测试</description>\n",
  ];
  for (let i = 0; i < count; i++) {
    const size = 2048 + Math.floor(random() * 10240);
    let body = "";
    while (body.length < size) {
      body += `<p style="text-align:start">中国国防部长李尚福出访俄罗斯和白俄罗斯，反映出三国愈加密切的军事关系 &amp; <a href="https://e.com/x?a=1&amp;b=${i}">链接</a></p>`;
    }
    const wrapped = escaped
      ? body.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      : `<![CDATA[${body}]]>`;
    parts.push(
      `<item><title>标题 ${i} &amp; more</title><link>https://www.voachinese.com/a/${i}.html</link><guid>https://www.voachinese.com/a/${i}.html</guid>`,
      `<pubDate>Tue, 15 Aug 2023 09:39:04 GMT</pubDate><dc:creator>VOA</dc:creator><category>国际</category><description>${wrapped}</description></item>\n`,
    );
  }
  parts.push("</channel></rss>\n");
  return parts.join("");
}

function time(fn: () => unknown, runs = 100): number {
  for (let i = 0; i < 20; i++) fn();
  const start = performance.now();
  for (let i = 0; i < runs; i++) fn();
  return (performance.now() - start) / runs;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const { parseFeed } = await import("../src/parse/index.js");
  const importMs = performance.now() - t0;
  console.log(
    `import src/parse/index.js: ${importMs.toFixed(1)} ms (cold, includes htmlparser2, entities, iconv-lite)`,
  );
  for (const escaped of [false, true]) {
    const xml = generateFeed(50, escaped);
    const bytes = Buffer.from(xml);
    console.log(
      `\n50 items, ${(bytes.length / 1024).toFixed(0)} KB, HTML ${escaped ? "entity-escaped" : "in CDATA"}:`,
    );
    const report = (name: string, ms: number) =>
      console.log(`  ${name.padEnd(34)} ${ms.toFixed(2)} ms/feed  ${((ms / 50) * 1000).toFixed(0)} µs/item`);
    report(
      "newsark parseFeed (bytes, decoding)",
      time(() => parseFeed(bytes)),
    );
    report(
      "newsark parseFeed (string)",
      time(() => parseFeed(xml)),
    );
    try {
      const { parseFeed: feedsmith } = await import("feedsmith");
      report(
        "feedsmith parseFeed",
        time(() => feedsmith(xml)),
      );
    } catch {}
    try {
      const { XMLParser } = await import("fast-xml-parser");
      const fxp = new XMLParser({ ignoreAttributes: false, trimValues: false, htmlEntities: true });
      report(
        "fast-xml-parser (htmlEntities)",
        time(() => fxp.parse(xml)),
      );
    } catch {}
    const { Parser } = await import("htmlparser2");
    report(
      "htmlparser2 xmlMode, no-op handler",
      time(() => new Parser({}, { xmlMode: true, decodeEntities: false }).end(xml)),
    );
  }
}

if (process.argv[1]?.endsWith("parse-libraries.js")) await main();
