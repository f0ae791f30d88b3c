/**
 * Loaded with `node --import` by the profile step: registers resolve hooks that append every module
 * URL the process loads to NEWSARK_BENCH_MODULE_LOG, so the bench can tell which packages a run
 * pulls in (and so pays start-up for).
 */
import { register } from "node:module";

const file = process.env.NEWSARK_BENCH_MODULE_LOG;
if (file) register(new URL("./module-log-hooks.js", import.meta.url), { data: { file } });
