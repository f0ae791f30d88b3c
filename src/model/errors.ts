/**
 * The one error class newsark throws for problems a user must fix (bad config, unusable archive,
 * unusable input). The CLI catches it in one place, prints `newsark: <message>` and exits with `exitCode`.
 *
 * @example
 * throw new NewsarkError("config", "newsark.yaml: sources[2].url is not a URL");
 */
export class NewsarkError extends Error {
  constructor(
    /** Stable code naming the room or kind of failure, e.g. "config", "archive", "parse", "usage". */
    readonly code: string,
    message: string,
    /** Process exit code the CLI uses for this error. */
    readonly exitCode = 2,
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
