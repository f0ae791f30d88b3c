/**
 * Writes the fixtures that are not UTF-8 (they cannot be kept readable in the tree) and, with
 * `--expected`, the expected `<name>.json` (e.g. `rss-stray-ampersand.xml.json`) of every fixture that has none yet — review those by hand.
 * Run from the repository root: `npx tsc -p tsconfig.json && node dist/scripts/make-parse-fixtures.js [--expected]`.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import iconv from "iconv-lite";
import { parseFeed } from "../src/parse/index.js";

const dir = path.resolve("src/parse/fixtures");

/** A feed fixture is any .xml or .json file that is not itself an expected result. */
export function isFeedFixture(name: string): boolean {
  return /\.(xml|json)$/.test(name) && !/\.(xml|json)\.json$/.test(name);
}

function rss(encoding: string, title: string, itemTitle: string, description: string): string {
  return `<?xml version="1.0" encoding="${encoding}"?>
<rss version="2.0"><channel><title>${title}</title><link>https://example.com/</link>
<item><title>${itemTitle}</title><link>https://example.com/1</link><description>${description}</description></item>
</channel></rss>
`;
}

// A prolog with no encoding and no other declaration: only the bytes tell the charset.
const undeclared = (text: string) => text.replace(/ encoding="[^"]*"/, "");
const NEWS_ZH = "国防部长继续访问俄罗斯，分析人士认为中国与俄罗斯的军事合作关系引起国际社会关注。";
const NEWS_TW = "國防部長繼續訪問俄羅斯，分析人士認為中國與俄羅斯的軍事合作關係引起國際社會關注。";

const encoded: Record<string, Buffer> = {
  // 镕 and 堃 are GBK but not GB 2312: a feed that says gb2312 still sends them.
  "rss20-gbk-prolog.xml": iconv.encode(
    rss("gb2312", "新华网", "朱镕基 与 王堃", "<![CDATA[<p>简体中文</p>]]>"),
    "gbk",
  ),
  "rss20-big5-prolog.xml": iconv.encode(
    rss("big5", "中央社", "臺灣新聞", "<![CDATA[<p>繁體中文</p>]]>"),
    "big5",
  ),
  "rss20-gbk-undeclared.xml": iconv.encode(
    undeclared(rss("gbk", "新闻", "中国与俄罗斯", `<![CDATA[<p>${NEWS_ZH}</p>]]>`)),
    "gbk",
  ),
  "rss20-big5-undeclared.xml": iconv.encode(
    undeclared(rss("big5", "新聞", "中國與俄羅斯", `<![CDATA[<p>${NEWS_TW}</p>]]>`)),
    "big5",
  ),
  "rss20-gbk-declared-utf8.xml": iconv.encode(
    rss("utf-8", "新闻", "中国与俄罗斯", `<![CDATA[<p>${NEWS_ZH}</p>]]>`),
    "gbk",
  ),
  "rss20-utf16le-bom.xml": Buffer.concat([
    Buffer.from([0xff, 0xfe]),
    iconv.encode(rss("utf-16", "UTF-16 小端", "条目", "内容"), "utf-16le"),
  ]),
  "rss20-utf16be-no-bom.xml": iconv.encode(rss("UTF-16", "UTF-16 大端", "条目", "内容"), "utf-16be"),
  "rss20-cp1252-prolog.xml": iconv.encode(
    rss("windows-1252", "Caf\u00e9 \u201cquoted\u201d", "Na\u00efve \u2013 dash", "\u00a9 2023"),
    "windows-1252",
  ),
  "rss20-latin1-declared-utf8-bytes.xml": Buffer.from(
    rss("iso-8859-1", "声明错误", "实际上是 UTF-8", "内容"),
    "utf8",
  ),
  "rss20-utf8-invalid-bytes.xml": Buffer.concat([
    Buffer.from(rss("utf-8", "坏字节", "标题", "前").replace("前", "前\u0000"), "utf8"),
  ]),
};
// An 0xFF byte can never appear in UTF-8; put one where the NUL placeholder is.
const bad = encoded["rss20-utf8-invalid-bytes.xml"] as Buffer;
bad[bad.indexOf(0)] = 0xff;

function main(): void {
  for (const [name, bytes] of Object.entries(encoded)) writeFileSync(path.join(dir, name), bytes);
  if (!process.argv.includes("--expected")) return;
  for (const name of readdirSync(dir)) {
    if (!isFeedFixture(name)) continue;
    const expected = path.join(dir, `${name}.json`);
    if (existsSync(expected)) continue;
    const result = parseFeed(readFileSync(path.join(dir, name)));
    writeFileSync(expected, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), expected)}`);
  }
}

if (process.argv[1]?.endsWith("make-parse-fixtures.js")) main();
