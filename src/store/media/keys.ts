import { createHash } from "node:crypto";

/** A media key: `<2 hex>/<32 hex>.<ext>`, the first 32 hex digits of the stored bytes' sha256. */
const KEY = /^([0-9a-f]{2})\/([0-9a-f]{32})\.(jpg|png|gif|webp|avif|svg)$/;

/** The sha256 of bytes, as 64 hex digits. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * The content-addressed key of bytes with a file extension.
 *
 * @example
 * mediaKey(bytes, "png") // "ab/ab12…(32 hex).png"
 */
export function mediaKey(bytes: Uint8Array, ext: string): string {
  const hex = sha256Hex(bytes);
  return `${hex.slice(0, 2)}/${hex.slice(0, 32)}.${ext}`;
}

/** Whether a string is a well-formed media key (so it can never name a path outside the store). */
export function isMediaKey(key: string): boolean {
  const m = KEY.exec(key);
  return m !== null && m[2]?.startsWith(m[1] ?? "") === true;
}

/** Whether bytes are what a key says they are (their sha256 starts with the key's hash). */
export function matchesKey(key: string, bytes: Uint8Array): boolean {
  const m = KEY.exec(key);
  return m !== null && sha256Hex(bytes).startsWith(m[2] ?? "-");
}

/** The MIME type of a key's extension, for stores that serve objects over HTTP. */
export function mediaType(key: string): string {
  const ext = key.slice(key.lastIndexOf(".") + 1);
  const types: Record<string, string> = {
    jpg: "image/jpeg",
    png: "image/png",
    gif: "image/gif",
    webp: "image/webp",
    avif: "image/avif",
    svg: "image/svg+xml",
  };
  return types[ext] ?? "application/octet-stream";
}
