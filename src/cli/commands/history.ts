import type { Command } from "../io.js";
import { NewsarkError } from "../../model/errors.js";

/** newsark history (not built yet). */
export const command: Command = async () => {
  throw new NewsarkError("usage", "history: not available yet");
};
