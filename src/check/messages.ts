/** Every message the check room reports, in one table so wording stays consistent. */
export const checkMessages = {
  badSince: (value: string) => `check: --since ${value}: expected a duration such as 30d, 12h or 2w`,
  badLimit: (value: string) => `check: --limit ${value}: expected a whole number`,
  noSource: (id: string, have: string[]) =>
    `check: --source ${id}: no such source in newsark.yaml (have: ${have.join(", ")})`,
  missingFile: (path: string) => `check: ${path} is missing`,
  badRedirect: (status: number) => `HTTP ${status} redirect without a usable Location header`,
  tooManyHops: (max: number) => `more than ${max} redirects`,
  unexpected: (status: number) => `HTTP ${status}`,
} as const;
