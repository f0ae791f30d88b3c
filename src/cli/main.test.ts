import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { CliIO } from "./io.js";
import { commands, EXIT_CODES, runMain } from "./main.js";

const base = mkdtempSync(join(tmpdir(), "newsark-cli-main-"));
after(() => rmSync(base, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  let out = "";
  let err = "";
  const io: CliIO = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    isTTY: false,
    cwd: base,
    env: {},
  };
  const code = await runMain(argv, io);
  return { code, out, err };
}

test("CLI-01: every command answers --help and -h with its usage and purpose, and does nothing else", async () => {
  for (const [name, entry] of Object.entries(commands)) {
    for (const flag of ["--help", "-h"]) {
      // Other arguments, even wrong ones, do not matter once help is asked for.
      const r = await cli(name, "--no-such-option", flag);
      assert.equal(r.code, 0, `${name} ${flag}: ${r.err}`);
      assert.equal(r.err, "");
      assert.ok(r.out.startsWith(`Usage: newsark ${entry.usage}\n`), r.out);
      assert.ok(r.out.toLowerCase().includes(entry.summary.toLowerCase()), r.out);
      assert.match(r.out, /Exit codes: 0 done/);
    }
    assert.deepEqual(await cli("help", name), await cli(name, "--help"));
  }
});

test("CLI-02: after -- a word that looks like --help is an argument, not a request for help", async () => {
  const r = await cli("search", "--", "--help");
  assert.notEqual(r.code, 0);
  assert.doesNotMatch(r.out, /^Usage:/);
});

test("CLI-03: newsark alone prints the command list and exits with the usage code; help exits 0", async () => {
  const bare = await cli();
  assert.equal(bare.code, EXIT_CODES.usage);
  for (const name of Object.keys(commands)) assert.match(bare.out, new RegExp(`newsark ${name}\\b`));
  assert.equal((await cli("help")).code, 0);
  assert.equal((await cli("--help")).code, 0);
  const unknown = await cli("help", "nope");
  assert.equal(unknown.code, EXIT_CODES.usage);
  assert.equal(unknown.err, "newsark: unknown command 'nope' (see 'newsark help')\n");
});

test("CLI-04: a wrong option is a one-line usage error pointing at the command's help", async () => {
  const r = await cli("run", "--bogus");
  assert.equal(r.code, EXIT_CODES.usage);
  assert.match(r.err, /^newsark: run: .*'--bogus'.* \(see 'newsark run --help'\)\n$/);
});

test("CLI-07: a value that starts with a dash is refused with how to write it, not as 'ambiguous'", async () => {
  const r = await cli("search", "x", "--limit", "-1");
  assert.equal(r.code, EXIT_CODES.usage);
  assert.equal(
    r.err,
    "newsark: search: --limit -1: a value that starts with '-' is written --limit=-1 (see 'newsark search --help')\n",
  );
});

test("CLI-05: a file system refusal exits with the archive-io code and names the path", async () => {
  const tooLong = "n".repeat(300);
  const r = await cli("init", join(base, tooLong));
  assert.equal(r.code, EXIT_CODES["archive-io"], r.err);
  assert.match(r.err, /^newsark: init: the file system refused: ENAMETOOLONG.*n{300}/);
  assert.equal(r.err.split("\n").length, 2, "one line");
});

test("CLI-06: every exit code is documented in the README's Exit codes line", async () => {
  const { readFileSync } = await import("node:fs");
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
  const line = /^Exit codes:.*(?:\n(?!\n).*)*/m.exec(readme)?.[0] ?? "";
  for (const [kind, code] of Object.entries(EXIT_CODES)) {
    assert.match(line, new RegExp(`\\b${code}\\b[^,;.]*`), `${kind} (${code}) in: ${line}`);
  }
});
