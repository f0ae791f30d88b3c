import { createHash } from "node:crypto";

/** A short hash of a file's text: the build manifest compares these to skip files that did not change. */
export function contentHash(text: string): string {
  return createHash("sha1").update(text).digest("base64url").slice(0, 16);
}
