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
  return {
    stdout: (text) => process.stdout.write(text),
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
    throw new NewsarkError("usage", `${command}: ${message} (see 'newsark ${command} --help')`);
  }
}
