import type { Command } from "../io.js";
import { NewsarkError } from "../../model/errors.js";

/** newsark run (not built yet). */
export const command: Command = async () => {
  throw new NewsarkError("usage", "run: not available yet");
};
