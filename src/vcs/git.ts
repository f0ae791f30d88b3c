import { execFileSync } from "node:child_process";
import { NewsarkError } from "../model/errors.js";

function git(root: string, args: string[], env?: NodeJS.ProcessEnv): string {
  return execFileSync("git", args, {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: env ?? process.env,
  });
}

// git ends its errors with advice ("hint: …", "git push <name>"); the cause is on its "fatal:",
// "error:" and " ! [rejected]" lines, so those make the one-line message.
function gitError(action: string, err: unknown): NewsarkError {
  const lines = ((err as { stderr?: string }).stderr ?? "").split("\n");
  const causes = lines.filter((l) => /^(fatal|error):|^ ! /.test(l)).map((l) => l.trim());
  const fallback = lines.map((l) => l.trim()).find((l) => l !== "") ?? "";
  const reason = causes.length > 0 ? causes.join("; ") : fallback;
  return new NewsarkError("git", `git: ${action} failed${reason ? `: ${reason}` : ""}`);
}

/** True when `root` is inside a git work tree. */
export function isGitRepo(root: string): boolean {
  try {
    return git(root, ["rev-parse", "--is-inside-work-tree"]).trim() === "true";
  } catch {
    return false;
  }
}

/** Creates a repository in `root` when git is there and it is not one yet; returns whether it did. */
export function initRepo(root: string): boolean {
  if (isGitRepo(root)) return false;
  try {
    git(root, ["init", "-q"]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stages everything in the archive and commits it with `message`; returns the new commit's hash, or
 * undefined when nothing changed (so a run with nothing new makes no commit).
 */
export function commitArchive(root: string, message: string): string | undefined {
  if (!isGitRepo(root))
    throw new NewsarkError(
      "git",
      `git: ${root} is not a git repository (run 'git init' there, or drop --commit)`,
    );
  try {
    git(root, ["add", "-A", "--", "."]);
    const staged = git(root, ["diff", "--cached", "--name-only"]).trim();
    if (staged === "") return undefined;
    // Scheduled jobs often have no identity configured; give the commit one rather than fail.
    const env = { ...process.env };
    if (!hasIdentity(root)) {
      env.GIT_AUTHOR_NAME = env.GIT_COMMITTER_NAME = "newsark";
      env.GIT_AUTHOR_EMAIL = env.GIT_COMMITTER_EMAIL = "newsark@users.noreply.github.com";
    }
    git(root, ["commit", "-q", "-m", message], env);
    return git(root, ["rev-parse", "HEAD"]).trim();
  } catch (err) {
    throw gitError("commit", err);
  }
}

function hasIdentity(root: string): boolean {
  try {
    return git(root, ["config", "user.email"]).trim() !== "";
  } catch {
    return false;
  }
}

/** Pushes the current branch to its upstream (or origin). */
export function pushArchive(root: string): void {
  try {
    git(root, ["push", "-q"]);
  } catch (err) {
    try {
      git(root, ["push", "-q", "-u", "origin", "HEAD"]);
    } catch {
      throw gitError("push", err);
    }
  }
}
