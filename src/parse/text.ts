import { decodeHTMLStrict } from "entities/decode";

const BLOCK = /^(?:br|p|div|li|ul|ol|h[1-6]|tr|td|th|blockquote|hr)$/i;

/**
 * Plain text from a title that may carry HTML: tags stripped, entities decoded, whitespace
 * collapsed. Undefined when nothing is left.
 */
export function plainText(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let s = value;
  // Block tags separate words; inline tags must not split one ("Hel<b>lo</b>").
  if (s.includes("<"))
    s = s.replace(/<!--[\s\S]*?-->|<\/?([A-Za-z][A-Za-z0-9]*)[^<>]*>/g, (_, tag?: string) =>
      tag && BLOCK.test(tag) ? " " : "",
    );
  if (s.includes("&")) s = decodeHTMLStrict(s);
  return collapse(s);
}

/** Whitespace collapsed to single spaces and trimmed; undefined when nothing is left. */
export function collapse(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // ASCII whitespace and no-break space only: an ideographic space (U+3000) in a Chinese title is content.
  const s = value.replace(/[ \t\n\r\f\v\u00a0]+/g, " ").replace(/^ | $/g, "");
  return s === "" ? undefined : s;
}

/** Plain text escaped so it can stand where newsark expects HTML (summary, content). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** True when the string has no non-whitespace character; unlike trim() it copies nothing. */
export function isBlank(value: string): boolean {
  return !/\S/.test(value);
}

// Closing tags (or <br>) of everyday HTML elements; a "<" or "&" alone is just as likely plain text.
const HTML_TAGS =
  /<\/(?:p|a|b|i|u|em|strong|span|div|ul|ol|li|h[1-6]|blockquote|pre|code|table|tr|td)\s*>|<br\s*\/?>/i;

/**
 * Guesses whether text in an element that should hold plain text (itunes:summary, a Base64 payload
 * of no stated type) is in fact HTML, as many podcast feeds send it.
 */
export function looksLikeHtml(text: string): boolean {
  return HTML_TAGS.test(text);
}
