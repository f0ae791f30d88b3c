// The archive room: decides what an item is to the archive and writes revisions, for `run` and `check`.
export { queueWritten, type WrittenBatch } from "./catalog-queue.js";
export { decide, previousRecord } from "./decide.js";
export { type ChangedState, saveStates } from "./save.js";
export { loadSourceState, loadStateForItems, takeOverFromFiles, tidyAfterCrash } from "./state.js";
export { type Revision, writeRevision } from "./write.js";
