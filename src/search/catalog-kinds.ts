/**
 * The names `catalog: { kind }` accepts. Kept apart from catalog.ts (which opens catalogs) so that
 * reading newsark.yaml can check the name without loading any catalog code; catalog.ts maps each
 * name to its catalog, and the compiler holds the two together.
 */
export const CATALOG_KINDS = ["sqlite"] as const;

/** A search catalog newsark can open. */
export type CatalogKind = (typeof CATALOG_KINDS)[number];
