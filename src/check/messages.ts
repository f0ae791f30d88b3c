/** Every message the check room reports, in one table so wording stays consistent. */
export const checkMessages = {
  badSince: (value: string) => `check: --since ${value}: expected a duration such as 30d, 12h or 2w`,
  badLimit: (value: string) => `check: --limit ${value}: expected a whole number`,
  noSource: (id: string, have: string[]) =>
    `check: --source ${id}: no such source in newsark.yaml (have: ${have.join(", ")})`,
  nothingToCheck: (archived: number, sinceMs: number, limit: number) =>
    limit <= 0
      ? "check: --limit 0 checks nothing"
      : archived === 0
        ? "check: the archive has no articles yet (run 'newsark run' first)"
        : `check: none of the ${archived} archived articles was published in the last ${sinceMs % 86_400_000 === 0 ? `${sinceMs / 86_400_000}d` : `${Math.round(sinceMs / 3_600_000)}h`}; widen the window with --since (e.g. --since 365d)`,
  missingFile: (path: string) => `check: ${path} is missing`,
  badRedirect: (status: number) => `HTTP ${status} redirect without a usable Location header`,
  tooManyHops: (max: number) => `more than ${max} redirects`,
  unexpected: (status: number) => `HTTP ${status}`,
} as const;
