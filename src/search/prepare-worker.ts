/**
 * The worker thread of prepare.ts: reads the article files of an archive, turns each body into text
 * and tokenizes title and body with the catalog's tokenizer, and posts them in chunks. It runs
 * ahead of the inserts by at most AHEAD chunks, so memory stays bounded however large the archive.
 */
import { parentPort, workerData } from "node:worker_threads";
import { threadFailureOf } from "../model/errors.js";
import type { CatalogEntry, IndexedText } from "../store/catalog.js";
import { chineseTokenizer } from "./chinese-tokenizer.js";
import { archiveEntries } from "./entries.js";
import { AHEAD, type PrepareJob, type PrepareMessage } from "./prepare-protocol.js";

const port = parentPort;
if (!port) throw new Error("prepare-worker: must run as a worker thread");
const job = workerData as PrepareJob;

let credits = AHEAD;
let wake: (() => void) | undefined;
// Each "more" from the other side is one chunk it has taken: room for one more.
port.on("message", () => {
  credits++;
  wake?.();
});

async function send(message: PrepareMessage): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  port?.postMessage(message);
}

/**
 * The tokens of a text as one flat string. indexWithChars appends token by token, which makes a
 * rope of thousands of pieces; here it would outlive the young generation while its chunk fills
 * and cost more to collect and to post than to make (measured: the worker spent half its time in
 * the garbage collector). Reading a character flattens the rope at once.
 */
function flat(text: IndexedText): IndexedText {
  text.tokens.charCodeAt(0);
  text.chars.charCodeAt(0);
  return text;
}

async function main(): Promise<void> {
  const { name, plainText, index } = chineseTokenizer;
  let chunk: CatalogEntry[] = [];
  for (const e of archiveEntries(job.root, job.sourceIds)) {
    chunk.push({
      source: e.source,
      n: e.n,
      title: e.title,
      url: e.url,
      published: e.published,
      content: "",
      tokenized: { tokenizer: name, title: flat(index(e.title)), body: flat(index(plainText(e.content))) },
    });
    if (chunk.length >= job.chunk) {
      await send({ entries: chunk });
      chunk = [];
    }
  }
  if (chunk.length > 0) await send({ entries: chunk });
  port?.postMessage({ done: true } satisfies PrepareMessage);
}

main().catch((err: unknown) => {
  port.postMessage({ failed: threadFailureOf(err) } satisfies PrepareMessage);
});
