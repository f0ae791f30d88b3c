import type { Command } from "../io.js";
import { NewsarkError } from "../../model/errors.js";

/** newsark reindex (not built yet). */
export const command: Command = async () => {
  throw new NewsarkError("usage", "reindex: not available yet");
};
