import { open, stat } from "node:fs/promises";
import { errorMessage } from "../model/errors.js";
import { fetchMessages as m } from "./messages.js";
import type { FetchErrorKind } from "./types.js";

/** The bytes of a local file, or why they could not be read. */
export type FileRead = { ok: true; body: Buffer } | { ok: false; kind: FetchErrorKind; reason: string };

/**
 * Reads a regular file of at most `maxBytes` bytes; the cap also holds if the file grows while being read.
 *
 * @example
 * await readLocalFile("/srv/feeds/voa.xml", 20 * 1024 * 1024); // { ok: true, body: <Buffer ...> }
 */
export async function readLocalFile(path: string, maxBytes: number): Promise<FileRead> {
  try {
    // Checked before opening: opening a FIFO blocks until a writer appears, and devices like /dev/zero never end.
    const info = await stat(path);
    if (!info.isFile()) return { ok: false, kind: "file", reason: `${path}: ${m.notRegularFile()}` };
    if (info.size > maxBytes)
      return { ok: false, kind: "too-large", reason: m.fileTooLarge(info.size, maxBytes) };
    const handle = await open(path, "r");
    try {
      // One byte of headroom tells "exactly at the cap" from "over it"; the buffer grows if the file does.
      let buffer = Buffer.alloc(Math.min(maxBytes, info.size) + 1);
      let filled = 0;
      for (;;) {
        if (filled === buffer.length) {
          const grown = Buffer.alloc(Math.min(maxBytes + 1, buffer.length * 2));
          buffer.copy(grown);
          buffer = grown;
        }
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
        if (filled > maxBytes) return { ok: false, kind: "too-large", reason: m.bodyTooLarge(maxBytes) };
      }
      return { ok: true, body: buffer.subarray(0, filled) };
    } finally {
      await handle.close();
    }
  } catch (err) {
    return { ok: false, kind: "file", reason: errorMessage(err) };
  }
}
