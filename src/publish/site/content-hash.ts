import { createHash } from "node:crypto";

/** A short hash of a file's text: the build manifest compares these to skip files that did not change. */
export function contentHash(text: string): string {
  return createHash("sha1").update(text).digest("base64url").slice(0, 16);
}

/**
 * A 53-bit hash of a string as at most 11 base-36 characters: cheap enough to run over every image
 * URL of a large archive on each build. Not for security: a collision only costs one page rewrite
 * too many or too few.
 */
export function shortHash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 15), 0x2c1b3c6d) ^ Math.imul(h2 ^ (h2 >>> 13), 0x297a2d39);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b) ^ Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  return (0x100000000 * (h2 & 0x1fffff) + (h1 >>> 0)).toString(36);
}
