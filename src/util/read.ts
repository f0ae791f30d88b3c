import { readFileSync } from "node:fs";

/** Reads a UTF-8 file, or returns `fallback` when it cannot be read (missing, unreadable). */
export function readFileOr<T>(path: string, fallback: T): string | T {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return fallback;
  }
}
