import { archivePaths } from "../store/files/paths.js";
import { appendStateLines, appendsOnly, type SourceState, sourceStatePieces } from "../store/files/state.js";
import { flushFilesystem, writeFileAtomic } from "../util/atomic.js";
import { faultPoint } from "../util/fault.js";

/** A source whose state changed and must be saved. */
export interface ChangedState {
  sourceId: string;
  state: SourceState;
}

/**
 * Ends a run or check durably: the article files already renamed into place are flushed in one batch,
 * then the states that point at them are written (and state/feeds.json when given), then flushed. A
 * state read only in part gets its new lines appended in place when none of its lines changed (see
 * appendStateLines), else is written whole from the file it kept and its changes. So a
 * crash never leaves a state pointing at a missing article; at worst articles exist that no state
 * lists yet, and the next run takes them back (loadSourceState).
 */
export function saveStates(root: string, changed: readonly ChangedState[], feedsText?: string): void {
  if (changed.length === 0 && feedsText === undefined) return;
  if (changed.length > 0) flushFilesystem(root);
  faultPoint("before-state-write");
  for (const c of changed) {
    // A state read only in part whose lines did not change (a run that only added articles to a
    // large archive) grows in place.
    if (appendsOnly(c.state)) appendStateLines(c.state);
    else writeFileAtomic(archivePaths.state(root, c.sourceId), sourceStatePieces(c.state));
  }
  if (feedsText !== undefined) writeFileAtomic(archivePaths.feedsState(root), feedsText);
  faultPoint("after-state-write");
  flushFilesystem(root);
}
