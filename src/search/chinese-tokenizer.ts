/**
 * The Chinese-aware Tokenizer every catalog indexes with: fold 简繁 and case, CJK bigrams plus
 * distinct characters, words whole. Its own module so that opening a catalog only to ask exists()
 * (an hourly run) loads neither htmlparser2 nor the character map.
 */
import type { Tokenizer } from "../store/catalog.js";
import { htmlToText } from "./html.js";
import { indexWithChars, parseQuery } from "./tokenize.js";

/** Plain text from article HTML, bigram tokens and characters, query phrases (see README.md here). */
export const chineseTokenizer: Tokenizer = {
  // Change with the tokens it makes (as SCHEMA_VERSION does for catalog files).
  name: "zh-bigram",
  plainText: htmlToText,
  index: indexWithChars,
  queryPhrases: parseQuery,
};
