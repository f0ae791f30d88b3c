import { Parser } from "../../util/html-parser.js";

// An SVG opened on its own is a document that runs scripts, so archived SVGs keep only drawing: elements
// off this list are dropped with everything inside them (script, foreignObject, iframe, animate/set —
// which can rewrite an href to javascript: —, feImage and anything unknown).
const DRAWING = new Set([
  "svg", "g", "defs", "symbol", "use", "title", "desc", "path", "rect", "circle", "ellipse", "line",
  "polyline", "polygon", "text", "tspan", "textPath", "marker", "pattern", "clipPath", "mask",
  "linearGradient", "radialGradient", "stop", "filter", "feBlend", "feColorMatrix", "feComponentTransfer",
  "feComposite", "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight",
  "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge",
  "feMergeNode", "feMorphology", "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile",
  "feTurbulence", "image", "style", "switch", "view",
]); // biome-ignore format: a word list reads better packed

// Links are unwrapped: their drawing stays, the link (which could be javascript:) goes.
const UNWRAP = new Set(["a"]);

const escapeText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, "&quot;");
// biome-ignore lint/suspicious/noControlCharactersInRegex: browsers ignore these inside URLs, so must we
const squash = (s: string) => s.replace(/[\u0000-\u0020]/g, "").toLowerCase();

/** CSS that could fetch something or run code: @import, url() not pointing inside the file, expression(). */
function unsafeCss(css: string): boolean {
  const s = squash(css);
  return s.includes("@import") || s.includes("expression(") || /url\((?!['"]?#)/.test(s);
}

function keepAttribute(element: string, name: string, value: string): boolean {
  const lower = name.toLowerCase();
  if (lower.startsWith("on")) return false;
  const v = squash(value);
  if (v.includes("javascript:") || v.includes("vbscript:")) return false;
  if (lower === "href" || lower.endsWith(":href")) {
    if (v.startsWith("#")) return true;
    return element === "image" && /^data:image\/(png|jpeg|gif|webp);/.test(v);
  }
  if (lower === "style") return !unsafeCss(value);
  return true;
}

/**
 * An SVG reduced to drawing: no scripts, event handlers, foreign content, animations, external references or
 * DOCTYPE, so the stored file cannot run anything when opened directly.
 *
 * @example
 * defuseSvg(Buffer.from('<svg onload="alert(1)"><script>x()</script><path d="M0 0"/></svg>'))
 * // <svg><path d="M0 0"/></svg>
 */
export function defuseSvg(bytes: Uint8Array): Buffer {
  let out = "";
  let skip = 0;
  let style: string | undefined;
  const stack: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (skip > 0 || (!DRAWING.has(name) && !UNWRAP.has(name))) {
          skip++;
          stack.push("skip");
          return;
        }
        if (UNWRAP.has(name)) {
          stack.push("unwrap");
          return;
        }
        stack.push(name);
        if (name === "style") style = "";
        let tag = `<${name}`;
        for (const [k, v] of Object.entries(attribs)) {
          if (keepAttribute(name, k, v)) tag += ` ${k}="${escapeAttr(v)}"`;
        }
        out += `${tag}>`;
      },
      ontext(text) {
        // Text outside the root is prolog debris (e.g. the end of a DOCTYPE's internal subset).
        if (skip > 0 || stack.length === 0) return;
        if (style !== undefined) style += text;
        else out += escapeText(text);
      },
      onclosetag() {
        const name = stack.pop();
        if (name === "skip") {
          skip--;
          return;
        }
        if (name === "unwrap" || name === undefined) return;
        if (name === "style") {
          if (style !== undefined && !unsafeCss(style)) out += escapeText(style);
          style = undefined;
        }
        out += `</${name}>`;
      },
    },
    { xmlMode: true, decodeEntities: true, recognizeSelfClosing: true },
  );
  parser.end(
    Buffer.from(bytes)
      .toString("utf8")
      .replace(/^\uFEFF/, ""),
  );
  return Buffer.from(out, "utf8");
}
