/**
 * What makes a source id or name usable as a file name on every system an archive is cloned to: ids are
 * folders (`articles/<id>/`, `state/<id>.tsv`), names are list files (`lists/<name>.md`, `lists/<name>/2.md`).
 */

/** Names Windows reserves; an id or list name equal to one would make the archive unusable there. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/** Most file systems (ext4, APFS, NTFS) allow 255 bytes per file name. */
const MAX_NAME_BYTES = 255;

/**
 * Why `id` cannot be a source id, or undefined when it can. Capitals are allowed because archives made by
 * the earlier system have folders such as `articles/BBC/`.
 */
export function idProblem(id: unknown): string | undefined {
  if (typeof id !== "string" || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(id) || WINDOWS_RESERVED.test(id)) {
    return `'${String(id)}' must be 1-64 ASCII letters, digits, - or _ (starting with a letter or digit)`;
  }
  return undefined;
}

/** Why `name` cannot name a source's list files, or undefined when it can. */
export function nameProblem(name: unknown): string | undefined {
  if (
    typeof name !== "string" ||
    name.trim() === "" ||
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
    /[\\/<>:"|?*\u0000-\u001f\u007f]|^\.|\.$/.test(name) ||
    WINDOWS_RESERVED.test(name.trim())
  ) {
    return `'${String(name)}' must be a short name usable as a file name (no / \\ : * ? " < > |)`;
  }
  // lists/<name>.md is the longest file name a name makes (older pages are lists/<name>/<n>.md).
  const bytes = Buffer.byteLength(`${name.trim()}.md`);
  if (bytes > MAX_NAME_BYTES) {
    return `'${name.trim().slice(0, 20)}…' is too long: lists/<name>.md would be ${bytes} bytes, over the ${MAX_NAME_BYTES}-byte file name limit`;
  }
  return undefined;
}

/** A problem found between sources: the field to name, and why. */
export interface Clash {
  field: string;
  why: string;
}

/**
 * Ids and names that name the same file somewhere: equal ones, or ones that differ only in Unicode
 * normalization (one file on macOS) are errors; ones that differ only in case are warnings, because
 * legacy archives have both `articles/BBC/` and `articles/bbc/`, which only case-insensitive file systems
 * (macOS, Windows) merge.
 */
export function findClashes(sources: readonly { id: string; name: string }[]): {
  error?: Clash;
  warnings: string[];
} {
  const warnings: string[] = [];
  for (const field of ["id", "name"] as const) {
    const exact = new Map<string, number>();
    const normalized = new Map<string, number>();
    const folded = new Map<string, number>();
    for (const [i, source] of sources.entries()) {
      const value = source[field];
      const at = `sources[${i}].${field}`;
      const first = exact.get(value);
      if (first !== undefined) return { error: { field: at, why: `'${value}' is used twice` }, warnings };
      exact.set(value, i);
      const nfc = value.normalize("NFC");
      const sameNfc = normalized.get(nfc);
      if (sameNfc !== undefined) {
        return {
          error: {
            field: at,
            why: `'${value}' differs from sources[${sameNfc}].${field} only in Unicode normalization (the same file on macOS)`,
          },
          warnings,
        };
      }
      normalized.set(nfc, i);
      const key = nfc.toLowerCase();
      const sameCase = folded.get(key);
      if (sameCase !== undefined) {
        const other = sources[sameCase]?.[field];
        warnings.push(
          `${at}: '${value}' and sources[${sameCase}].${field} '${other}' differ only in case: they are one ${field === "id" ? "folder" : "list file"} on case-insensitive file systems (macOS, Windows)`,
        );
      } else folded.set(key, i);
    }
  }
  return { warnings };
}
