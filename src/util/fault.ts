/**
 * Test-only fault injection, so crash and disk-fault tests hit every point every time instead of
 * racing a timer. Inert unless the environment variable NEWSARK_FAULT is set; never set it on a real
 * archive. It holds comma-separated entries:
 *
 * - `<point>` or `<point>:<N>`: the process SIGKILLs itself the Nth time (default 1st) it reaches the
 *   named point: `before-rename` (any file, temp written, not yet in place), `after-article-write`,
 *   `after-version-kept` (an edit's old file kept, the new one not yet written), `before-state-write`,
 *   `mid-state-append` (half of the lines appended to a large state file), `after-state-write`.
 * - `io:<CODE>:<path fragment>`: writes to paths containing the fragment fail with that errno code
 *   (ENOSPC, EROFS, EACCES, EPERM), as a full, read-only or forbidden disk would.
 *
 * @example
 * NEWSARK_FAULT=after-article-write:3 newsark run   # dies right after the third article file
 * NEWSARK_FAULT=io:ENOSPC:/articles/ newsark run    # every article write finds the disk full
 */
const reached = new Map<string, number>();

function entries(): string[] {
  const spec = process.env.NEWSARK_FAULT;
  return spec ? spec.split(",").map((s) => s.trim()) : [];
}

/** Marks a named point on the way of a write; kills the process when NEWSARK_FAULT asks for it here. */
export function faultPoint(name: string): void {
  const wanted = entries().filter((e) => e === name || e.startsWith(`${name}:`));
  if (wanted.length === 0) return;
  const count = (reached.get(name) ?? 0) + 1;
  reached.set(name, count);
  for (const e of wanted) {
    const nth = e === name ? 1 : Number(e.slice(name.length + 1));
    if (count === nth) process.kill(process.pid, "SIGKILL");
  }
}

/** Throws the errno error NEWSARK_FAULT injects for writes to `path`, if any. */
export function ioFault(path: string): void {
  for (const e of entries()) {
    const m = /^io:([A-Z]+):(.+)$/.exec(e);
    if (m && path.includes(m[2] as string)) {
      const err = new Error(`${m[1]}: injected fault, write '${path}'`) as NodeJS.ErrnoException;
      err.code = m[1];
      throw err;
    }
  }
}
