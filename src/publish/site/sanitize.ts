import { type TextCollector, textCollector } from "../../search/html.js";
import { Parser } from "../../util/html-parser.js";
import { capNesting } from "./nesting.js";

/** How the sanitizer maps image URLs and resolves relative links of one article. */
export interface SanitizeOptions {
  /** The article's original URL; relative and protocol-relative links resolve against it. */
  baseUrl?: string | undefined;
  /**
   * Maps an absolute image URL to the `src` the page should use (a relative path to a local copy),
   * or undefined to keep the original URL.
   *
   * @example
   * (url) => manifest.get(url)?.file ? `../../${manifest.get(url)?.file}` : undefined
   */
  localImage?: ((url: string) => string | undefined) | undefined;
  /**
   * When set, the same parse also gives the input's plain text with this separator between blocks,
   * exactly `htmlTextWithBreaks(capNesting(input), textSeparator)`, so a build reads each article's
   * HTML once for its page and its search text.
   */
  textSeparator?: string | undefined;
}

/** What sanitizing one article produced: safe HTML and the absolute image URLs it referenced. */
export interface SanitizeResult {
  html: string;
  images: string[];
  /** The input's plain text, when `textSeparator` was given. */
  text?: string | undefined;
}

/** Elements kept as they are (with allowlisted attributes). */
const KEEP = new Set([
  "a",
  "abbr",
  "address",
  "article",
  "aside",
  "audio",
  "b",
  "bdi",
  "bdo",
  "blockquote",
  "br",
  "caption",
  "cite",
  "code",
  "col",
  "colgroup",
  "dd",
  "del",
  "details",
  "dfn",
  "div",
  "dl",
  "dt",
  "em",
  "figcaption",
  "figure",
  "footer",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "i",
  "img",
  "ins",
  "kbd",
  "li",
  "main",
  "mark",
  "ol",
  "p",
  "pre",
  "q",
  "rp",
  "rt",
  "ruby",
  "s",
  "samp",
  "section",
  "small",
  "span",
  "strong",
  "sub",
  "summary",
  "sup",
  "table",
  "tbody",
  "td",
  "tfoot",
  "th",
  "thead",
  "time",
  "tr",
  "u",
  "ul",
  "var",
  "video",
  "wbr",
]);

/** Elements dropped together with everything inside them: active content, page-level tags, forms' controls. */
const DROP = new Set([
  "applet",
  "base",
  "button",
  "canvas",
  "datalist",
  "dialog",
  "embed",
  "frame",
  "frameset",
  "head",
  "input",
  "link",
  "math",
  "meta",
  "noembed",
  "noframes",
  "object",
  "option",
  "param",
  "plaintext",
  "portal",
  "script",
  "select",
  "style",
  "svg",
  "template",
  "textarea",
  "title",
  "xmp",
]);

const VOID = new Set(["br", "col", "hr", "img", "wbr", "source", "track"]);

/** Attributes allowed per element; "*" applies to all kept elements. */
const ATTRS: Record<string, ReadonlySet<string>> = {
  "*": new Set(["title", "lang", "dir", "style"]),
  a: new Set(["href"]),
  img: new Set(["src", "alt", "width", "height"]),
  video: new Set(["src", "poster", "width", "height"]),
  audio: new Set(["src"]),
  source: new Set(["src", "type"]),
  td: new Set(["colspan", "rowspan"]),
  th: new Set(["colspan", "rowspan", "scope"]),
  col: new Set(["span"]),
  colgroup: new Set(["span"]),
  ol: new Set(["start", "reversed", "type"]),
  time: new Set(["datetime"]),
  abbr: new Set(["title"]),
  details: new Set(["open"]),
};

/** CSS properties an article may keep in a style attribute: text presentation only, never layout or URLs. */
const STYLE_PROPS = new Set([
  "color",
  "background-color",
  "text-align",
  "font-weight",
  "font-style",
  "text-decoration",
]);
/** A value made of words, numbers, colours and at most rgb()/hsl() of numbers. */
const STYLE_VALUE = /^(?:[#\w\s.,%-]|(?:rgba?|hsla?)\(\s*[\d\s.,%]+\))+$/i;

const TEXT_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/** Escapes text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => TEXT_ESCAPES[c] as string);
}

/** Keeps only allowlisted declarations whose values cannot load anything or run script. */
function cleanStyle(style: string): string | undefined {
  // Comments and escapes are how `expr/**/ession` and `\75rl(` slip past filters; refuse them outright.
  if (/[\\@<>]|\/\*|expression|url\s*\(|javascript|behavio(u)?r|binding|import/i.test(style))
    return undefined;
  const kept: string[] = [];
  for (const decl of style.split(";")) {
    const colon = decl.indexOf(":");
    if (colon < 0) continue;
    const prop = decl.slice(0, colon).trim().toLowerCase();
    const value = decl.slice(colon + 1).trim();
    if (STYLE_PROPS.has(prop) && value !== "" && STYLE_VALUE.test(value)) kept.push(`${prop}:${value}`);
  }
  return kept.length > 0 ? kept.join(";") : undefined;
}

/**
 * Resolves a URL from content and returns it only when its scheme is allowed. The WHATWG parser
 * strips tabs and newlines exactly as a browser does, so `jav&#x09;ascript:` is judged as the
 * browser would read it.
 */
export function safeUrl(raw: string, base: string | undefined, allowDataImage: boolean): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what browsers ignore in URLs
  const value = raw.replace(/[\u0000-\u0020\u007f-\u009f]+/g, (m) => (m === " " ? " " : "")).trim();
  if (value === "") return undefined;
  if (/^data:/i.test(value)) {
    return allowDataImage && /^data:image\/(png|gif|jpe?g|webp|avif|svg\+xml)[;,]/i.test(value)
      ? value
      : undefined;
  }
  let url: URL;
  try {
    url = base ? new URL(value, base) : new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol === "http:" || url.protocol === "https:") return url.href;
  if (url.protocol === "mailto:" && !allowDataImage) return url.href;
  return undefined;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** What happens to one open element: kept (written out), unwrapped (children kept) or dropped with its subtree. */
type Action = "keep" | "unwrap" | "drop";

/**
 * Turns untrusted article HTML into HTML safe to put in a page: an allowlist of elements and
 * attributes; no script, style, object, embed, form controls, event handlers or dangerous URLs;
 * foreign iframes become links; lazy images get their real `src`; images use local copies when
 * `localImage` has one.
 *
 * @example
 * sanitizeHtml('<p onclick="x()">hi<script>x()</script></p>').html // → "<p>hi</p>"
 */
export function sanitizeHtml(input: string, options: SanitizeOptions = {}): SanitizeResult {
  const { baseUrl, localImage } = options;
  const text: TextCollector | undefined =
    options.textSeparator === undefined ? undefined : textCollector(options.textSeparator);
  const out: string[] = [];
  const images: string[] = [];
  const seenImages = new Set<string>();
  const stack: Action[] = [];
  let dropDepth = 0;
  // Inside <picture>, <source srcset> would make the browser fetch the remote image; only the <img> is kept.
  let pictureDepth = 0;
  let mediaDepth = 0;

  const open = (name: string, attribs: Record<string, string>): Action => {
    if (dropDepth > 0 || DROP.has(name)) return "drop";
    if (name === "iframe") {
      const src = attribs.src ? safeUrl(attribs.src, baseUrl, false) : undefined;
      if (src) {
        out.push(
          `<p class="embed"><a href="${escapeHtml(src)}" rel="nofollow noopener noreferrer">[嵌入内容：${escapeHtml(hostOf(src))}]</a></p>`,
        );
      }
      return "drop";
    }
    if (name === "picture") {
      pictureDepth++;
      return "unwrap";
    }
    if (name === "source") {
      if (pictureDepth > 0 || mediaDepth === 0) return "drop";
    } else if (!KEEP.has(name)) {
      // h1 belongs to the page title; custom elements, <font>, <center>, <form>, <noscript> and the like keep their text.
      if (name === "h1") return keepTag("h2", attribs, name);
      return "unwrap";
    }
    return keepTag(name, attribs, name);
  };

  const keepTag = (tag: string, attribs: Record<string, string>, original: string): Action => {
    const allowed = ATTRS[original];
    const parts: string[] = [tag];
    let src: string | undefined;
    if (tag === "img") {
      let raw = attribs.src;
      const lazy = attribs["data-src"] ?? attribs["data-original"] ?? attribs["data-lazy-src"];
      // Lazy loaders put a data: placeholder in src and the real image in data-src.
      if (lazy && (!raw || /^\s*data:/i.test(raw) || raw.trim() === "")) raw = lazy;
      const resolved = raw ? safeUrl(raw, baseUrl, true) : undefined;
      if (!resolved) return "drop";
      if (!resolved.startsWith("data:")) {
        // The same picture often appears twice (a <noscript> copy next to its lazy twin); show it once.
        if (seenImages.has(resolved)) return "drop";
        seenImages.add(resolved);
        images.push(resolved);
      }
      // The archiver keys its manifest by the resolved URL; a hand-made manifest may hold the src as written.
      src =
        localImage?.(resolved) ??
        (raw && raw.trim() !== resolved ? localImage?.(raw.trim()) : undefined) ??
        resolved;
      parts.push(`src="${escapeHtml(src)}"`);
    }
    for (const [rawName, value] of Object.entries(attribs)) {
      const attr = rawName.toLowerCase();
      if (attr === "src" && tag === "img") continue;
      if (!(allowed?.has(attr) || ATTRS["*"]?.has(attr))) continue;
      let clean: string | undefined = value;
      if (attr === "href" || attr === "src" || attr === "poster") {
        clean = safeUrl(value, baseUrl, attr === "poster");
      } else if (attr === "style") {
        clean = cleanStyle(value);
      } else if (
        attr === "width" ||
        attr === "height" ||
        attr === "colspan" ||
        attr === "rowspan" ||
        attr === "span" ||
        attr === "start"
      ) {
        clean = /^\s*\d{1,5}\s*$/.test(value) ? value.trim() : undefined;
      }
      if (clean === undefined) continue;
      parts.push(
        clean === "" && (attr === "reversed" || attr === "open") ? attr : `${attr}="${escapeHtml(clean)}"`,
      );
    }
    if (tag === "a") parts.push('rel="nofollow noopener noreferrer"');
    if (tag === "img") parts.push('loading="lazy"', 'decoding="async"');
    if (tag === "video" || tag === "audio") {
      mediaDepth++;
      // Nothing is fetched from the outlet until the reader presses play.
      parts.push("controls", 'preload="none"');
    }
    out.push(`<${parts.join(" ")}>`);
    return "keep";
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        text?.onopentag(name);
        const action = open(name, attribs);
        if (action === "drop") dropDepth++;
        stack.push(action);
      },
      onclosetag(name) {
        text?.onclosetag(name);
        const action = stack.pop();
        if (action === "drop") dropDepth--;
        else if (name === "picture") pictureDepth--;
        if (action === "keep") {
          if (name === "video" || name === "audio") mediaDepth--;
          if (!VOID.has(name)) out.push(`</${name === "h1" ? "h2" : name}>`);
        }
      },
      ontext(chunk) {
        text?.ontext(chunk);
        if (dropDepth === 0) out.push(escapeHtml(chunk));
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: false },
  );
  // Nesting is capped first, so a page of 100,000 nested elements costs what its length costs.
  parser.write(capNesting(input));
  parser.end();
  return { html: out.join(""), images, text: text?.text() };
}
