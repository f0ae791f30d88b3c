/** Every reason text the fetch room reports, in one table so wording stays consistent. */
export const fetchMessages = {
  badUrl: () => "not an absolute http(s) URL or file path",
  relativePath: () => "relative file paths are not read; give an absolute path or a file: URL",
  untrustedFile: () => "local files are only read for configured sources, not for URLs from feed content",
  untrustedScheme: (scheme: string) =>
    `scheme ${scheme} is not allowed for URLs from feed content (only http and https)`,
  unsupportedScheme: (scheme: string) => `scheme ${scheme} is not supported (http, https and file only)`,
  redirectScheme: (location: string) => `redirect to ${location}: only http and https redirects are followed`,
  redirectBadLocation: (status: number) => `HTTP ${status} redirect without a usable Location header`,
  redirectHop: (target: string, why: string) => `redirected to ${target}: ${why}`,
  tooManyRedirects: (max: number) => `more than ${max} redirects`,
  forbidden: (address: string, reason: string) =>
    `address ${address} is not allowed (${reason}; allow it with allowNetworks)`,
  connectTimeout: (ms: number) => `no connection within ${ms} ms`,
  headersTimeout: (ms: number) => `no response headers within ${ms} ms`,
  bodyTimeout: (ms: number) => `body not received within ${ms} ms`,
  contentLengthTooLarge: (length: number, max: number) =>
    `Content-Length ${length} is over the limit of ${max} bytes`,
  bodyTooLarge: (max: number) => `body is over the limit of ${max} bytes`,
  decodedTooLarge: (encoding: string, max: number) =>
    `body is over the limit of ${max} bytes after ${encoding} decompression`,
  fileTooLarge: (size: number, max: number) => `file of ${size} bytes is over the limit of ${max} bytes`,
  notRegularFile: () => "not a regular file",
  unsupportedEncoding: (encoding: string) => `unsupported Content-Encoding "${encoding}"`,
  badEncoding: (encoding: string, why: string) => `${encoding} body could not be decompressed: ${why}`,
  incompleteBody: () => "connection closed before the body was complete",
  httpStatus: (status: number) => `HTTP ${status}`,
  afterTries: (why: string, tries: number) => (tries > 1 ? `${why} after ${tries} tries` : why),
  closed: () => "fetcher was closed",
  internal: (why: string) => `internal error: ${why}`,
} as const;

/** Formats the one-line error of a FetchResult: room, URL (shortened: data: URLs can be megabytes), reason. */
export function fetchError(url: string, why: string): string {
  return `fetch: ${shortUrl(url)}: ${oneLine(why)}`;
}

/** A URL cut to a readable length with control characters removed, for messages only. */
export function shortUrl(url: string, max = 200): string {
  const clean = oneLine(url);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes.
  return text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
}
