import { Parser } from "../../util/html-parser.js";
import { messages } from "../messages.js";
import { isBlank } from "../text.js";
import { resolveUrl } from "../urls.js";
import type { Warnings } from "../warnings.js";
import { type EntityContext, unescapeXml } from "./entities.js";

/**
 * One element of a feed document. Names are lower-case and namespace-canonical: whatever prefix a
 * feed picks, Dublin Core is `dc:`, content is `content:`, Media RSS is `media:`; elements of the
 * feed's own vocabulary (RSS, RDF-RSS, or Atom in an Atom feed) have no prefix.
 */
export interface XmlElement {
  name: string;
  /** Attribute values with references replaced; names lower-case as written (`xml:base`, `rdf:about`). */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Direct text and CDATA, references replaced once, nothing trimmed. */
  text: string;
  /** Inner range in XmlDocument.source, for content that must be kept as markup. */
  start: number;
  end: number;
  /** Absolute xml:base in scope, if any. */
  base: string | undefined;
}

/** A parsed document and the text its ranges point into. */
export interface XmlDocument {
  root: XmlElement;
  source: string;
}

const KNOWN_NAMESPACES: Record<string, string> = {
  "http://purl.org/rss/1.0/modules/content/": "content",
  "http://purl.org/dc/elements/1.1/": "dc",
  "http://purl.org/dc/terms/": "dcterms",
  "http://search.yahoo.com/mrss/": "media",
  "http://search.yahoo.com/mrss": "media",
  "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
  "http://www.w3.org/1999/xhtml": "xhtml",
  "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
  // The RSS family's own namespaces: their elements read as plain RSS.
  "http://purl.org/rss/1.0/": "",
  "http://my.netscape.com/rdf/simple/0.9/": "",
  "http://backend.userland.com/rss2": "",
  "http://blogs.law.harvard.edu/tech/rss": "",
};
const ATOM_NAMESPACES = new Set(["http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#"]);

// Elements whose children are feed structure, not markup: an unclosed child there is worth a warning.
const STRUCTURAL = new Set(["rss", "channel", "item", "feed", "entry", "rdf:rdf", "author", "image"]);

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding the characters XML forbids is the point.
const FORBIDDEN_CHARS = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above.
const FORBIDDEN_CHARS_ALL = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;

const DOCTYPE = /<!DOCTYPE[^>[]*(\[[\s\S]*?\]\s*)?>/i;
// Besides whitespace, only the XML declaration, processing instructions and comments may precede the DOCTYPE.
const PROLOG_PARTS = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g;

interface Scope {
  uris: Map<string, string>;
  names: Map<string, string>;
}

/** Cleans what strict XML readers reject but feeds routinely send, before tokenising. */
function prepare(text: string, warnings: Warnings, ctx: EntityContext): string {
  let s = text;
  const prolog = s.indexOf("<?xml");
  if (prolog > 0 && prolog < 4096) {
    warnings.add(messages.leadingGarbage(prolog));
    s = s.slice(prolog);
  } else if (prolog === -1) {
    const lt = s.search(/<[A-Za-z!?]/);
    if (lt > 0) {
      if (s.slice(0, lt).trim() !== "") warnings.add(messages.leadingGarbage(lt));
      s = s.slice(lt);
    }
  }
  // XML 1.0 forbids C0 controls other than tab and newlines; feeds leak them from CMS copy-paste.
  if (FORBIDDEN_CHARS.test(s)) {
    warnings.add(messages.controlChars());
    s = s.replace(FORBIDDEN_CHARS_ALL, "");
  }
  // XML 2.11: every CR LF and lone CR reads as LF.
  if (s.includes("\r")) s = s.replace(/\r\n?/g, "\n");
  // Only a DOCTYPE before the root element is the document's own; one inside a description is content.
  const doctype = DOCTYPE.exec(s.slice(0, 65536));
  if (doctype && isBlank(s.slice(0, doctype.index).replace(PROLOG_PARTS, ""))) {
    const at = doctype.index;
    const declaration = doctype[0];
    if (/Netscape Communications\/\/DTD RSS 0\.9/i.test(declaration)) ctx.htmlDeclared = true;
    for (const m of (doctype[1] ?? "").matchAll(
      /<!ENTITY\s+([A-Za-z][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>/g,
    )) {
      if (m[1]) ctx.declared.set(m[1], m[2] ?? m[3] ?? "");
    }
    // The tokeniser would end the DOCTYPE at the first '>' of its internal subset.
    s = s.slice(0, at) + s.slice(at + declaration.length);
  }
  return s;
}

/**
 * Reads XML leniently into a small element tree (htmlparser2's tokeniser in XML mode survives
 * unclosed tags, `<` in text and truncation). Returns undefined when there is no element at all.
 */
export function parseXml(
  text: string,
  warnings: Warnings,
  docUrl: string | undefined,
): XmlDocument | undefined {
  const ctx: EntityContext = { warnings, declared: new Map(), htmlDeclared: false };
  const source = prepare(text, warnings, ctx);
  const stack: XmlElement[] = [];
  const scopes: Scope[] = [{ uris: new Map(), names: new Map() }];
  let root: XmlElement | undefined;
  let atomHome = false;
  let inCdata = false;
  let done = false;
  let atEnd = false;

  const canonicalName = (qname: string, scope: Scope): string => {
    const cached = scope.names.get(qname);
    if (cached !== undefined) return cached;
    const colon = qname.indexOf(":");
    const prefix = colon === -1 ? "" : qname.slice(0, colon);
    const local = (colon === -1 ? qname : qname.slice(colon + 1)).toLowerCase();
    const uri = scope.uris.get(prefix);
    let name: string;
    if (uri !== undefined && ATOM_NAMESPACES.has(uri)) name = atomHome ? local : `atom:${local}`;
    else if (uri !== undefined && KNOWN_NAMESPACES[uri] !== undefined) {
      const canon = KNOWN_NAMESPACES[uri];
      name = canon ? `${canon}:${local}` : local;
    } else name = prefix ? `${prefix.toLowerCase()}:${local}` : local;
    scope.names.set(qname, name);
    return name;
  };

  const parser: Parser = new Parser(
    {
      onopentag(qname, attribs) {
        if (done) return;
        const parentScope = scopes[scopes.length - 1] as Scope;
        let scope = parentScope;
        const attrs: Record<string, string> = {};
        for (const key in attribs) {
          const raw = attribs[key] as string;
          const value = raw.includes("&") ? unescapeXml(raw, ctx) : raw;
          if (key === "xmlns" || key.startsWith("xmlns:")) {
            if (scope === parentScope) scope = { uris: new Map(parentScope.uris), names: new Map() };
            scope.uris.set(key === "xmlns" ? "" : key.slice(6), value.trim());
          }
          attrs[key.toLowerCase()] = value;
        }
        if (!root) atomHome = qname.slice(qname.indexOf(":") + 1).toLowerCase() === "feed";
        scopes.push(scope);
        const parent = stack[stack.length - 1];
        const xmlBase = attrs["xml:base"];
        const outer = parent ? parent.base : undefined;
        const el: XmlElement = {
          name: canonicalName(qname, scope),
          attrs,
          children: [],
          text: "",
          start: parser.endIndex + 1,
          end: parser.endIndex + 1,
          base: xmlBase !== undefined ? (resolveUrl(xmlBase.trim(), outer ?? docUrl) ?? outer) : outer,
        };
        if (parent) parent.children.push(el);
        else if (!root) root = el;
        else {
          // Elements after the root element are junk (a second document glued on); ignore them.
          warnings.add(messages.afterRoot(root.name));
          done = true;
          return;
        }
        stack.push(el);
        // An HTML page has no feed in it; stop reading at its root.
        if (el === root && el.name === "html") done = true;
      },
      ontext(data) {
        const el = stack[stack.length - 1];
        if (done || !el) return;
        el.text += inCdata || !data.includes("&") ? data : unescapeXml(data, ctx);
      },
      onprocessinginstruction(_name, data) {
        const el = stack[stack.length - 1];
        if (done || !el || inCdata) return;
        // A declaration inside an element is unescaped HTML (a description starting with <!DOCTYPE html>).
        warnings.add(messages.rawHtml(el.name));
        el.text += `<${data}>`;
      },
      oncdatastart() {
        inCdata = true;
      },
      oncdataend() {
        inCdata = false;
      },
      onclosetag(_name, isImplied) {
        const el = stack.pop();
        scopes.pop();
        if (!el || done) return;
        // startIndex is the '<' of the closing tag (or of the ancestor's, or the end of input).
        el.end = Math.max(parser.startIndex, el.start);
        const parent = stack[stack.length - 1];
        // Elements still open when the input ran out make one "truncated" warning, not one each.
        if (atEnd) return;
        // htmlparser2 reports `<x/>` as an implied close too; only a close forced by an ancestor is a fault.
        const selfClosing =
          el.start === parser.endIndex + 1 && source.charCodeAt(parser.endIndex - 1) === 0x2f;
        if (
          isImplied &&
          !selfClosing &&
          (STRUCTURAL.has(el.name) || (parent && STRUCTURAL.has(parent.name)))
        ) {
          warnings.add(messages.unclosed(el.name));
        }
      },
    },
    { xmlMode: true, decodeEntities: false, recognizeCDATA: true, recognizeSelfClosing: true },
  );
  parser.write(source);
  // What is still open now was cut off by the end of the input: a truncated download or file.
  atEnd = true;
  if (root && !done && stack.length > 0) warnings.add(messages.truncated(root.name));
  parser.end();
  return root ? { root, source } : undefined;
}
