import type { ArticleRecord, Decision, Item } from "../model/article.js";
import type { SourceState } from "../store/files/state.js";

/**
 * Finds the archived record of an item: by its key, else by its link (records rebuilt from files know
 * only the link). A record found by link takes the item's key from now on, as the feed now tells it.
 */
export function previousRecord(state: SourceState, item: Item): ArticleRecord | undefined {
  const byKey = state.byKey.get(item.key);
  if (byKey) return byKey;
  const byLink = state.byKey.get(item.linkKey);
  if (byLink && byLink.key !== item.key) {
    state.byKey.delete(byLink.key);
    byLink.key = item.key;
    state.byKey.set(item.key, byLink);
    state.dirty = true;
  }
  return byLink;
}

/** What to do with an item given its previous record: archive it, keep a new version, or nothing. */
export function decide(item: Item, previous: ArticleRecord | undefined): Decision {
  if (!previous) return "new";
  return previous.hash === item.hash ? "unchanged" : "changed";
}
