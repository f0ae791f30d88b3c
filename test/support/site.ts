/** Temp archives for the site's tests, made from the fixtures in test/fixtures/. */
import { chmodSync, cpSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../src/config/index.js";
import type { Config } from "../../src/model/source.js";
import { Parser } from "../../src/util/html-parser.js";
import { REAL_ARCHIVE, SEED } from "./fixtures.js";

/** This folder's fixtures in the sources (test data is not compiled). */
export const SITE_FIXTURES = fileURLToPath(new URL("../../../src/publish/site/fixtures", import.meta.url));

/** Outlet folders of the real-archive sample and the ids/names they get in tests. */
export const REAL_SOURCES: [folder: string, id: string, name: string][] = [
  ["voa", "voa", "美国之音"],
  ["bbc", "bbc", "BBC 中文"],
  ["BBC", "bbc2020", "BBC 中文 2020"],
  ["cdt", "cdt", "中国数字时代"],
  ["dw", "dw", "德国之声"],
  ["ft", "ft", "FT中文网"],
  ["nyt", "nyt", "纽约时报"],
  ["reuters", "reuters", "路透社"],
  ["rfa", "rfa", "自由亚洲电台"],
  ["rfi", "rfi", "法广"],
];

function makeWritable(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    chmodSync(path, st.isDirectory() ? 0o755 : 0o644);
    if (st.isDirectory()) makeWritable(path);
  }
}

/** Writes newsark.yaml for the given sources and returns the loaded config. */
export function writeConfig(root: string, sources: [id: string, name: string][], extra = ""): Config {
  const lines = ["timezone: Asia/Shanghai", "sources:"];
  for (const [id, name] of sources)
    lines.push(`  - id: ${id}`, `    name: ${name}`, `    url: https://feeds.example/${id}.xml`);
  writeFileSync(join(root, "newsark.yaml"), `${lines.join("\n")}\n${extra}`);
  return loadConfig(root);
}

/** A temp archive holding the seed articles (source voa) and, if asked, the whole real-archive sample. */
export function makeArchive(options: { real?: boolean } = {}): { root: string; config: Config } {
  const root = mkdtempSync(join(tmpdir(), "newsark-site-"));
  cpSync(SEED.expected, root, { recursive: true });
  const sources: [string, string][] = [["voa", "美国之音"]];
  if (options.real) {
    for (const [folder, id, name] of REAL_SOURCES) {
      const from = join(REAL_ARCHIVE.articles, folder);
      // cpSync merges: the real voa sample joins the seed articles in articles/voa/.
      cpSync(from, join(root, "articles", id), { recursive: true });
      if (id !== "voa") sources.push([id, name]);
    }
  }
  makeWritable(root);
  return { root, config: writeConfig(root, sources) };
}

/** Raw markup that must never reach a page unescaped. */
export const FORBIDDEN = [
  /<script/i,
  /<svg/i,
  /<math/i,
  /<iframe/i,
  /<object/i,
  /<embed/i,
  /<applet/i,
  /<form/i,
  /<input/i,
  /<style/i,
  /<base/i,
  /<template/i,
  /<textarea/i,
  /<noscript/i,
  /http-equiv="?refresh/i,
  /javascript:/i,
  /vbscript:/i,
  /data:text/i,
  /expression\(/i,
  /url\(/i,
  /evil\.example\/(x\.js|x\.swf|steal|x\.css)/i,
];

/** Walks HTML as a browser would tokenize it and reports unsafe elements, handlers and URLs. */
export function unsafeMarkup(html: string): string[] {
  const problems: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (
          /^(script|svg|math|iframe|object|embed|applet|form|style|base|template|textarea|frame)$/.test(name)
        ) {
          problems.push(`<${name}>`);
        }
        for (const [attr, value] of Object.entries(attribs)) {
          if (attr.startsWith("on")) problems.push(`${name}[${attr}]`);
          if (/^(href|src|poster|action|formaction|xlink:href|srcdoc|data)$/.test(attr)) {
            // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers ignore control characters in URLs
            const v = value.replace(/[\s\u0000-\u001f]+/g, "").toLowerCase();
            const dataImage = name === "img" && attr === "src" && v.startsWith("data:image/");
            if (/^(javascript|vbscript|data):/.test(v) && !dataImage)
              problems.push(`${name}[${attr}=${value}]`);
          }
          if (attr === "style" && /expression|url\(|javascript|behavior/i.test(value)) {
            problems.push(`${name}[style=${value}]`);
          }
          if (name === "meta" && attr === "http-equiv" && /refresh/i.test(value))
            problems.push("meta refresh");
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  for (const pattern of FORBIDDEN) if (pattern.test(html)) problems.push(`raw ${pattern}`);
  return problems;
}

/** Visible text of HTML, without the elements a reader never sees as text, whitespace squeezed. */
export function visibleText(html: string): string {
  let skip = 0;
  let text = "";
  const hidden = /^(script|style|svg|math|iframe|template|textarea|title|object|noembed|noframes|xmp|head)$/;
  const parser = new Parser(
    {
      onopentag(name) {
        if (skip > 0 || hidden.test(name)) skip++;
      },
      onclosetag(name) {
        if (skip > 0) skip--;
        else if (/^(p|div|br|li|h\d)$/.test(name)) text += " ";
        void name;
      },
      ontext(data) {
        if (skip === 0) text += data;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return text.replace(/\s+/g, "");
}
