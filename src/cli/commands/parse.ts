import type { Command } from "../io.js";
import { NewsarkError } from "../../model/errors.js";

/** newsark parse (not built yet). */
export const command: Command = async () => {
  throw new NewsarkError("usage", "parse: not available yet");
};
