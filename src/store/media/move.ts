import { NewsarkError } from "../../model/errors.js";
import { matchesKey, mediaType } from "./keys.js";
import type { MediaStore } from "./types.js";

/**
 * Moves one object between stores without ever having no good copy: reads it, checks it is what its key says,
 * stores it, reads it back from the destination and checks it again, and only then deletes the source copy.
 * Says "missing" when the source has no such object (e.g. moved by an interrupted earlier attempt).
 *
 * @example
 * await moveObject(repoStore, s3Store, "ab/ab12….png");
 */
export async function moveObject(
  from: MediaStore,
  to: MediaStore,
  key: string,
): Promise<"moved" | "missing"> {
  const bytes = await from.read(key);
  if (bytes === undefined) return "missing";
  if (!matchesKey(key, bytes)) {
    throw new NewsarkError(
      "verify",
      `${from.kind} store: ${key}: its bytes do not match its hash; left in place`,
    );
  }
  await to.put(key, bytes, mediaType(key));
  const back = await to.read(key);
  if (back === undefined || !matchesKey(key, back)) {
    throw new NewsarkError(
      "verify",
      `${to.kind} store: ${key}: read back missing or altered after upload; local copy kept`,
    );
  }
  await from.delete(key);
  return "moved";
}
