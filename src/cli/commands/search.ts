import type { Command } from "../io.js";
import { NewsarkError } from "../../model/errors.js";

/** newsark search (not built yet). */
export const command: Command = async () => {
  throw new NewsarkError("usage", "search: not available yet");
};
