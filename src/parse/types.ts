import type { ParsedFeed } from "../model/feed.js";

/** Hints from the transport that help decode bytes. */
export interface ParseHints {
  /** Content-Type header value, for its charset. */
  contentType?: string | undefined;
  /** The URL the feed came from: base for relative links. */
  url?: string | undefined;
}

/** Result of reading a feed: a feed (maybe with warnings) or one line saying why it is unusable. */
export type ParseResult = { ok: true; feed: ParsedFeed } | { ok: false; error: string };
