import { htmlTextWithBreaks } from "../search/html.js";

/**
 * The text a reader sees in article HTML, one paragraph per line: tags dropped, entities decoded, spaces
 * collapsed within lines.
 *
 * @example
 * articleText("<p>台湾&amp;香港</p><p>关系</p>") // "台湾&香港\n关系"
 */
export function articleText(html: string): string {
  // Block boundaries become line breaks, so the diff shows an edit in the paragraph where it happened.
  return htmlTextWithBreaks(html, "\n")
    .split("\n")
    .map((line) => line.replace(/\s+/g, " ").trim())
    .filter((line) => line !== "")
    .join("\n");
}
