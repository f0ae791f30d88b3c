import type { Command } from "../io.js";
import { NewsarkError } from "../../model/errors.js";

/** newsark serve (not built yet). */
export const command: Command = async () => {
  throw new NewsarkError("usage", "serve: not available yet");
};
