/**
 * The full-text postings of a full build, collected in a worker thread: tokenizing every article and
 * writing the segment is about half of a full build's work, and here it runs beside the main thread's
 * reading, rendering and writing of pages. Receives `{ dir, outDir }` as worker data (spill folder,
 * site folder); see PostingsWorker for the messages.
 */
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { threadFailureOf } from "../../model/errors.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { contentHash } from "./content-hash.js";
import { BodyPostings } from "./postings.js";
import type { PostingsReply, PostingsRequest } from "./postings-thread.js";

const { dir, outDir } = workerData as { dir: string; outDir: string };
const postings = new BodyPostings({ dir });
const port = parentPort;

port?.on("message", (request: PostingsRequest) => {
  let reply: PostingsReply;
  try {
    if (request.kind === "texts") {
      for (let k = 0; k < request.ids.length; k++)
        postings.addText(request.ids[k] as number, request.titles[k] as string, request.texts[k] as string);
      reply = { kind: "added" };
    } else {
      const files: [string, string][] = [];
      const segment = postings.writeSegment(request.name, (rel, text) => {
        writeFileAtomic(join(outDir, rel), text);
        files.push([rel, contentHash(text)]);
      });
      reply = { kind: "segment", segment, files };
    }
  } catch (err) {
    reply = { kind: "failed", error: threadFailureOf(err) };
  }
  port.postMessage(reply);
});
