/** Every user-facing message of the parse room, in one table so wording stays consistent. */
export const messages = {
  // Unusable input: ParseResult.error (one line, starts with the room's name).
  empty: () => "parse: empty document",
  notFeed: (root: string) => `parse: not a feed (root element <${root}>)`,
  htmlPage: () => "parse: an HTML page, not a feed",
  notXmlOrJson: () => "parse: neither XML nor JSON",
  noRoot: () => "parse: no XML root element",
  badJson: (why: string) => `parse: invalid JSON (${why})`,
  notJsonFeed: () => "parse: JSON, but not a JSON Feed (no version or items)",

  // Recoverable problems: ParsedFeed.warnings.
  invalidBytes: (count: number, encoding: string) =>
    `parse: ${count} byte sequence${count === 1 ? "" : "s"} invalid in ${encoding} replaced with U+FFFD`,
  charsetMismatch: (declared: string, used: string) =>
    `parse: declared charset ${declared} does not fit the bytes; read as ${used}`,
  charsetDetected: (declared: string, used: string) =>
    `parse: declared charset ${declared} does not fit the bytes; read as ${used} (detected)`,
  undeclaredCharset: (used: string) =>
    `parse: no charset declared and the bytes are not UTF-8; read as ${used} (detected)`,
  wideLabelIgnored: (declared: string) =>
    `parse: declared charset ${declared} does not fit bytes that are 8-bit; label ignored`,
  unknownCharset: (name: string) => `parse: unknown charset "${name}"; read as utf-8`,
  leadingGarbage: (count: number) => `parse: skipped ${count} characters before the XML`,
  controlChars: () => "parse: removed control characters that XML forbids",
  strayAmpersand: () => "parse: stray '&' kept as text",
  htmlEntity: (name: string) => `parse: undeclared entity &${name}; read as HTML`,
  unknownEntity: (name: string) => `parse: unknown entity &${name}; kept as text`,
  badCharRef: (ref: string) => `parse: character reference ${ref} is not allowed in XML; dropped`,
  unclosed: (name: string) => `parse: <${name}> was not closed`,
  truncated: (root: string) => `parse: the document ends before </${root}> (truncated); kept what was read`,
  afterRoot: (root: string) => `parse: ignored elements after the end of <${root}>`,
  rawHtml: (name: string) => `parse: unescaped HTML inside <${name}> kept as markup`,
  badDate: (raw: string) => `parse: unreadable date "${raw}"`,
  relativeLink: (url: string) => `parse: relative link "${url}" has no base to resolve against`,
  badBase64: (element: string, type: string) =>
    `parse: <${element}> holds base64 ${type} that is not UTF-8 text; left out`,
  jsonNoItems: () => "parse: JSON Feed has no items array; read as empty",
  jsonBadItem: () => "parse: skipped a JSON Feed item that is not an object",
  jsonControlChars: () => "parse: removed control characters that JSON forbids",
} as const;
