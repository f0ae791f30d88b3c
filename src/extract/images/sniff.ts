/** An image type newsark stores, recognised by its first bytes, and the file extension it gets. */
export interface ImageType {
  mime: string;
  ext: "jpg" | "png" | "gif" | "webp" | "avif" | "svg";
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.subarray(start, end)).toString("latin1");
}

/** Whether an ISO-BMFF `ftyp` box names an AVIF brand (major or compatible). */
function isAvif(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== "ftyp") return false;
  const boxSize = Math.min(
    bytes.length,
    (bytes[0] ?? 0) * 2 ** 24 + ((bytes[1] ?? 0) << 16) + ((bytes[2] ?? 0) << 8) + (bytes[3] ?? 0),
  );
  const brands = [ascii(bytes, 8, 12)];
  for (let i = 16; i + 4 <= boxSize; i += 4) brands.push(ascii(bytes, i, i + 4));
  return brands.some((b) => b === "avif" || b === "avis");
}

/** Whether text is an SVG document: an <svg> root after an optional prolog, comments and doctype. */
function isSvg(bytes: Uint8Array): boolean {
  let text = Buffer.from(bytes.subarray(0, 4096))
    .toString("utf8")
    .replace(/^\uFEFF/, "");
  for (;;) {
    const before = text;
    text = text
      .replace(/^\s+/, "")
      .replace(/^<\?xml[\s\S]*?\?>/, "")
      .replace(/^<!--[\s\S]*?-->/, "")
      .replace(/^<!DOCTYPE\s+svg[^>[]*(\[[\s\S]*?\])?\s*>/i, "");
    if (text === before) break;
  }
  return /^<svg[\s>]/i.test(text);
}

/**
 * Recognises an image by its magic numbers (JPEG, PNG, GIF, WebP, AVIF, SVG). Anything else — above all the
 * HTML error pages that CDNs and proxies answer with status 200 — gives undefined.
 *
 * @example
 * sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0])) // { mime: "image/jpeg", ext: "jpg" }
 */
export function sniffImage(bytes: Uint8Array): ImageType | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return { mime: "image/jpeg", ext: "jpg" };
  }
  if (bytes.length >= 8 && ascii(bytes, 0, 8) === "\x89PNG\r\n\x1a\n")
    return { mime: "image/png", ext: "png" };
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(ascii(bytes, 0, 6))) return { mime: "image/gif", ext: "gif" };
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") {
    return { mime: "image/webp", ext: "webp" };
  }
  if (isAvif(bytes)) return { mime: "image/avif", ext: "avif" };
  // SVG is stored as evidence but is script-capable, so publishers link it and never inline it.
  if (isSvg(bytes)) return { mime: "image/svg+xml", ext: "svg" };
  return undefined;
}

/** A short description of bytes that are not an image, for the manifest's error column. */
export function describeNonImage(bytes: Uint8Array, contentType: string | undefined): string {
  const head = Buffer.from(bytes.subarray(0, 64)).toString("latin1").trimStart().toLowerCase();
  if (head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<head"))
    return "an HTML page";
  return contentType ? `Content-Type ${contentType.split(";")[0]}` : `${bytes.length} bytes of unknown type`;
}
