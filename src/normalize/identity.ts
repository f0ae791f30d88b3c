import type { Item } from "../model/article.js";

/**
 * The items of one feed document, one per identity. Repeats (same key, same link) are dropped. When
 * items share a guid but link to different pages (a publisher bug: one guid for every item), the guid
 * cannot tell them apart, so all of them are identified by their link instead and a warning says so.
 */
export function distinctItems(items: readonly Item[]): { items: Item[]; warnings: string[] } {
  const linksByKey = new Map<string, Set<string>>();
  for (const item of items) {
    const links = linksByKey.get(item.key) ?? new Set<string>();
    links.add(item.linkKey);
    linksByKey.set(item.key, links);
  }
  const warnings: string[] = [];
  const kept: Item[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const shared = (linksByKey.get(item.key)?.size ?? 0) > 1;
    if (shared && !seen.has(`shared ${item.key}`)) {
      seen.add(`shared ${item.key}`);
      const count = items.filter((i) => i.key === item.key).length;
      warnings.push(
        `${count} items share the guid '${item.key.slice(2)}' but link to different pages; they are told apart by link`,
      );
    }
    const key = shared ? item.linkKey : item.key;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(shared ? { ...item, key } : item);
  }
  return { items: kept, warnings };
}
