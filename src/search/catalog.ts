/**
 * The one place that decides which Catalog an archive uses (the composition root of search): the
 * pipeline, the commands and `newsark serve` all open the catalog here. The catalog gets the
 * Chinese-aware tokenizer of this folder, so src/store/ never imports src/search/.
 */

import { NewsarkError } from "../model/errors.js";
import type { Catalog, Tokenizer } from "../store/catalog.js";
import { archivePaths } from "../store/files/paths.js";
import { openSqliteCatalog } from "../store/sqlite/index.js";
import { CATALOG_KINDS, type CatalogKind } from "./catalog-kinds.js";

/** Loads the Chinese-aware tokenizer on a catalog's first need (see chinese-tokenizer.ts). */
async function loadChineseTokenizer(): Promise<Tokenizer> {
  return (await import("./chinese-tokenizer.js")).chineseTokenizer;
}

/**
 * Which catalog an archive uses; absent means the SQLite file under .newsark/.
 *
 * @example
 * { kind: "sqlite" }
 */
export interface CatalogSettings {
  kind: string;
}

/** The catalogs newsark can open, by kind. A catalog on a server is one more folder and one more line here. */
const CATALOGS: Record<CatalogKind, (root: string, tokenizer: () => Promise<Tokenizer>) => Catalog> = {
  sqlite: (root, tokenizer) => openSqliteCatalog(archivePaths.catalog(root), tokenizer),
};

/**
 * The catalog of the archive at `config.root`, chosen by `config.catalog` (default: SQLite). Opening
 * is lazy: nothing is created until the catalog is used, so `exists()` is cheap.
 *
 * @example
 * const catalog = openCatalog(config);
 * if (await catalog.exists()) queueForCatalog(config.root, refs);
 */
export function openCatalog(config: { root: string; catalog?: CatalogSettings | undefined }): Catalog {
  const kind = config.catalog?.kind ?? "sqlite";
  const open = (CATALOG_KINDS as readonly string[]).includes(kind)
    ? CATALOGS[kind as CatalogKind]
    : undefined;
  if (!open) {
    throw new NewsarkError(
      "config",
      `newsark.yaml: catalog.kind: '${kind}' is not one of ${CATALOG_KINDS.join(", ")}`,
    );
  }
  return open(config.root, loadChineseTokenizer);
}
