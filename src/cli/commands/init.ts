import type { Command } from "../io.js";
import { NewsarkError } from "../../model/errors.js";

/** newsark init (not built yet). */
export const command: Command = async () => {
  throw new NewsarkError("usage", "init: not available yet");
};
