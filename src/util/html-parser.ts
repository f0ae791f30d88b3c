import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

// htmlparser2's entry point also loads domhandler, domutils and dom-serializer (about 18 ms at every
// start-up); newsark only uses its streaming Parser, so it loads that file alone. The version is pinned
// in package.json, and the parse tests fail at once should the file move.
const entry = createRequire(import.meta.url).resolve("htmlparser2");
const parserModule = (await import(
  pathToFileURL(join(dirname(entry), "Parser.js")).href
)) as typeof import("htmlparser2");

/** htmlparser2's streaming, forgiving HTML/XML parser. */
export const Parser = parserModule.Parser;
/** An instance of Parser. */
export type Parser = import("htmlparser2").Parser;
/** Callbacks a Parser calls. */
export type Handler = import("htmlparser2").Handler;
