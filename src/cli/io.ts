import { type ParseArgsConfig, parseArgs } from "node:util";
import { NewsarkError } from "../model/errors.js";

/** Where a command writes and what it knows of its surroundings; tests pass their own. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stdout is a terminal (live progress); false for pipes and tests. */
  isTTY: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** One CLI command: argv after the command name in, exit code out. */
export type Command = (argv: string[], io: CliIO) => Promise<number>;

/** The real process's IO. */
export function processIO(): CliIO {
  // `newsark … | head` closes the pipe early: the rest of the output is dropped, and the command
  // (a run, say) still finishes its work instead of dying halfway with a stack trace.
  let readerGone = false;
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    readerGone = true;
  });
  return {
    stdout: (text) => {
      if (!readerGone) process.stdout.write(text);
    },
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
    env: process.env,
  };
}

/** node:util parseArgs that turns unknown options into a one-line usage error. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig["options"]>>(
  command: string,
  argv: string[],
  options: T,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
    // node calls "--limit -1" ambiguous; say which value was meant and how to write it.
    const ambiguous = /^Option '(-[^' ]+)[^']*' argument is ambiguous/.exec(message ?? "");
    if (ambiguous?.[1] !== undefined) {
      const given = ambiguous[1];
      const i = argv.indexOf(given);
      const value = argv[i + 1] ?? "";
      const name = Object.entries(options).find(([, o]) => `-${o.short}` === given)?.[0];
      const long = given.startsWith("--") ? given : `--${name ?? given.slice(1)}`;
      throw new NewsarkError(
        "usage",
        `${command}: ${given} ${value}: a value that starts with '-' is written ${long}=${value} (see 'newsark ${command} --help')`,
      );
    }
    throw new NewsarkError("usage", `${command}: ${message} (see 'newsark ${command} --help')`);
  }
}
