/** Every warning text the extract room reports, in one table so wording stays consistent. */
export const extractMessages = {
  fulltextFailed: (url: string, why: string) => `fulltext: ${url}: ${why}; kept the feed's content`,
  badSelector: (selector: string, why: string) =>
    `fulltext: selector '${selector}' cannot be used (${why}); kept the feed's content`,
  notHtml: (type: string) => `not an HTML page (${type})`,
  nothingFound: (selector: string) => `nothing matches '${selector}'`,
  readabilityNothing: () => "Readability found no article text",
  tooShort: (chars: number, min: number) => `extracted text is too short (${chars} characters, want ${min})`,
  imagesFailed: (failed: number, total: number, first: string) =>
    `images: ${failed} of ${total} could not be archived (first: ${first}); retried on later runs`,
  imagesDeferred: (count: number, max: number) =>
    `images: ${count} left for later runs (images.maxPerRun is ${max})`,
  notImage: (what: string) => `not an image (${what})`,
  emptyImage: () => "empty body",
  deferred: (max: number) => `not fetched yet: over images.maxPerRun (${max})`,
  imagesKeptLocally: (count: number, first: string) =>
    `images: ${count} kept in images/ because the media store failed (first: ${first}); uploaded on later runs`,
  lost: () => "its copy was missing from the media store; fetched again",
  noSession: () => "no image session (the pipeline creates one per run)",
} as const;
