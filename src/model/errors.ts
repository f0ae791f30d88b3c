/**
 * The closed set of failure kinds newsark reports to a user. Each maps to one exit code in
 * `cli/main.ts`, so no room decides how the process ends.
 *
 * - `usage`: bad arguments on the command line
 * - `config`: newsark.yaml is wrong
 * - `archive`: the archive's files are unusable (bad state line, a clash that would overwrite an article)
 * - `archive-io`: the file system refused (disk full, read-only, permission denied)
 * - `locked`: another run holds the archive's lock
 * - `fetch`, `parse`: one input given on the command line could not be fetched or read
 * - `git`: commit or push failed
 * - `store`: the object store refused or could not be reached
 * - `verify`: stored objects are missing or altered
 * - `interrupted`: the user stopped a long step (it can be resumed)
 */
export type ErrorCode =
  | "usage"
  | "config"
  | "archive"
  | "archive-io"
  | "locked"
  | "fetch"
  | "parse"
  | "git"
  | "store"
  | "verify"
  | "interrupted";

/**
 * The one error class newsark throws for problems a user must fix (bad config, unusable archive,
 * unusable input). The CLI catches it in one place, prints `newsark: <message>` and exits with the
 * code its `code` maps to.
 *
 * @example
 * throw new NewsarkError("config", "newsark.yaml: sources[2].url is not a URL");
 */
export class NewsarkError extends Error {
  constructor(
    /** Which kind of failure; decides the exit code. */
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "NewsarkError";
  }
}

/** Turns anything thrown into a one-line message, keeping the cause chain short. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : "";
    return `${err.message}${cause}`.replace(/\s*\n\s*/g, " ");
  }
  return String(err).replace(/\s*\n\s*/g, " ");
}

/** An error as it crosses from a worker thread: a NewsarkError keeps its code (which decides the exit code). */
export interface ThreadFailure {
  message: string;
  code?: ErrorCode | undefined;
}

/** What a worker thread sends of an error it caught. */
export function threadFailureOf(err: unknown): ThreadFailure {
  return { message: errorMessage(err), code: err instanceof NewsarkError ? err.code : undefined };
}

/** The error a ThreadFailure stands for, on the thread that receives it. */
export function errorOfThreadFailure(f: ThreadFailure): Error {
  return f.code === undefined ? new Error(f.message) : new NewsarkError(f.code, f.message);
}
