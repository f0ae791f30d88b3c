import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { NewsarkError } from "../model/errors.js";
import { pushArchive } from "./git.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const identity = ["-c", "user.name=t", "-c", "user.email=t@example.org"];

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", [...identity, ...args], { cwd, stdio: "ignore" });
}

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), "newsark-git-"));
  dirs.push(dir);
  git(dir, "init", "-q");
  git(dir, "commit", "-q", "--allow-empty", "-m", "first");
  return dir;
}

function pushError(root: string): NewsarkError {
  try {
    pushArchive(root);
  } catch (err) {
    assert.ok(err instanceof NewsarkError);
    return err;
  }
  assert.fail("the push succeeded");
}

test("VC-01: a push with no remote says there is no push destination, not git's closing advice", () => {
  const err = pushError(repo());
  assert.equal(err.code, "git");
  assert.match(err.message, /^git: push failed: fatal: No configured push destination\.$/);
});

test("VC-02: a push the remote rejects names the rejected branch and why", () => {
  const bare = mkdtempSync(join(tmpdir(), "newsark-git-bare-"));
  dirs.push(bare);
  git(bare, "init", "-q", "--bare");
  const mine = repo();
  git(mine, "remote", "add", "origin", bare);
  git(mine, "push", "-q", "-u", "origin", "HEAD");
  const theirs = mkdtempSync(join(tmpdir(), "newsark-git-other-"));
  dirs.push(theirs);
  git(theirs, "clone", "-q", bare, ".");
  git(theirs, "commit", "-q", "--allow-empty", "-m", "theirs");
  git(theirs, "push", "-q");
  git(mine, "commit", "-q", "--allow-empty", "-m", "mine");
  const err = pushError(mine);
  assert.match(err.message, /\[rejected\].*\(fetch first\)/);
  assert.doesNotMatch(err.message, /hint:/);
  assert.ok(!err.message.includes("\n"), "one line");
});
