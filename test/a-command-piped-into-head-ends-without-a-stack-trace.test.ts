import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/newsark.js", import.meta.url));

test("PIPE-01: when the reader of stdout is gone (newsark … | head), the command ends with its own code and no stack trace", async () => {
  const child = spawn(process.execPath, [BIN, "help"], { stdio: ["ignore", "pipe", "pipe"] });
  // The reader goes away before newsark writes a byte, so its first write meets a closed pipe.
  child.stdout.destroy();
  let err = "";
  child.stderr.on("data", (chunk) => {
    err += chunk;
  });
  const code = await new Promise<number | null>((done) => child.on("close", (c) => done(c)));
  assert.equal(err, "");
  assert.equal(code, 0);
});
