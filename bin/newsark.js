#!/usr/bin/env node
// Thin shim: all logic lives in the compiled CLI.
import { runMain } from "../dist/src/cli/main.js";

process.exitCode = await runMain(process.argv.slice(2));
