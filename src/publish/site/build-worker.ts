/**
 * Runs one site build in a worker thread for `serve`, so a long build never holds up the server's
 * event loop. Receives `{ config, outDir }` as worker data and posts the build result back.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Config } from "../../model/source.js";
import { buildSite } from "./index.js";

const { config, outDir } = workerData as { config: Config; outDir: string };
parentPort?.postMessage(await buildSite(config, outDir));
