import * as assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type S3Service, SKIP_S3, startS3 } from "../../../../test/services/s3/index.js";
import { mediaKey } from "../keys.js";
import { mediaStoreContract } from "../media-store.contract.js";
import type { S3Settings } from "../types.js";
import { s3Connect } from "./client.js";
import { createS3MediaStore, IMMUTABLE_CACHE } from "./index.js";

let s3: S3Service | undefined;
let prefixes = 0;

before(async () => {
  s3 = await startS3();
  if (!s3) return;
  const { client, close } = await s3Connect(settings(""));
  try {
    await client.makeBucket("media", "us-east-1");
  } finally {
    close();
  }
});
after(async () => {
  await s3?.stop();
});

function settings(prefix: string): S3Settings {
  return {
    endpoint: s3?.endpoint ?? "",
    bucket: "media",
    prefix,
    region: "us-east-1",
    pathStyle: true,
    accessKey: s3?.accessKey ?? "",
    secretKey: s3?.secretKey ?? "",
  };
}

mediaStoreContract("s3", async () => {
  if (!s3) return SKIP_S3;
  // A fresh prefix is a fresh, empty store.
  return { store: createS3MediaStore(settings(`c${++prefixes}/`)), close: () => {} };
});

test("S3MS-01: an object is stored with its type and immutable caching, under the prefix", async (t) => {
  if (!s3) return t.skip(SKIP_S3);
  const store = createS3MediaStore(settings("img/"));
  const { client, close } = await s3Connect(settings(""));
  try {
    const bytes = Buffer.from("\x89PNG\r\n\x1a\nstat", "latin1");
    const key = mediaKey(bytes, "png");
    await store.put(key, bytes, "image/png");
    const stat = await client.statObject("media", `img/${key}`);
    assert.equal(stat.size, bytes.length);
    assert.equal(stat.metaData["content-type"], "image/png");
    assert.equal(stat.metaData["cache-control"], IMMUTABLE_CACHE);
    assert.deepEqual(store.locate(key), undefined, "no public URL configured");
    const pub = createS3MediaStore({ ...settings("img/"), publicUrl: "https://cdn.example/img/" });
    assert.deepEqual(pub.locate(key), { url: `https://cdn.example/img/${key}` });
  } finally {
    close();
    store.close();
  }
});

test("S3MS-02: a store that cannot be reached fails with a store error naming the bucket", async () => {
  const store = createS3MediaStore({
    ...settings(""),
    endpoint: "http://127.0.0.1:9",
    accessKey: "a",
    secretKey: "b",
  });
  try {
    await assert.rejects(store.has(mediaKey(Buffer.from("x"), "png")), (err: Error & { code?: string }) => {
      assert.equal(err.code, "store");
      assert.match(err.message, /^s3 media: HEAD /);
      return true;
    });
  } finally {
    store.close();
  }
});
