/** Every message the history room reports, in one table so wording stays consistent. */
export const historyMessages = {
  badRef: (ref: string) => `history: '${ref}' is not SOURCE/N (e.g. voa/1048574)`,
  noSource: (id: string, have: string[]) =>
    `history: no source '${id}' in newsark.yaml (have: ${have.join(", ")})`,
  noArticle: (id: string, n: number) => `history: no article ${id}/${n} in the archive`,
  badRange: (spec: string, count: number) =>
    `history: --diff ${spec}: expected A..B with versions 1 to ${count} (e.g. --diff 1..${Math.max(2, count)})`,
  oneVersion: (ref: string) => `history: ${ref} has one version only; there is nothing to diff`,
} as const;
