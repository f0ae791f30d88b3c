import type { Command } from "../io.js";
import { NewsarkError } from "../../model/errors.js";

/** newsark demo (not built yet). */
export const command: Command = async () => {
  throw new NewsarkError("usage", "demo: not available yet");
};
