import type { Command } from "../io.js";
import { NewsarkError } from "../../model/errors.js";

/** newsark build (not built yet). */
export const command: Command = async () => {
  throw new NewsarkError("usage", "build: not available yet");
};
