import type { Command } from "../io.js";
import { NewsarkError } from "../../model/errors.js";

/** newsark check (not built yet). */
export const command: Command = async () => {
  throw new NewsarkError("usage", "check: not available yet");
};
