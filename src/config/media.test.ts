import * as assert from "node:assert/strict";
import { test } from "node:test";
import type { NewsarkError } from "../model/errors.js";
import { configFromObject } from "./index.js";

const sources = [{ id: "a", name: "A", url: "a.xml" }];
const s3 = { store: "s3", endpoint: "https://s3.example.com", bucket: "news-images" };

test("MCFG-01: media defaults to the repository; s3 takes endpoint, bucket and defaults for the rest", () => {
  assert.deepEqual(configFromObject({ sources }, "/x").media, { store: "repo" });
  const media = configFromObject({ sources, media: { ...s3, prefix: "img" } }, "/x").media;
  assert.equal(media?.store, "s3");
  if (media?.store !== "s3") return;
  assert.equal(media.prefix, "img/");
  assert.equal(media.region, "us-east-1");
  assert.equal(media.pathStyle, true);
  assert.equal(media.publicUrl, undefined);
});

test("MCFG-02: credentials in newsark.yaml are a config error naming the field", () => {
  for (const field of ["accessKey", "secretAccessKey", "access_key_id", "sessionToken"]) {
    assert.throws(
      () => configFromObject({ sources, media: { ...s3, [field]: "x" } }, "/x"),
      (err: NewsarkError) =>
        err.code === "config" && err.message.includes(`media.${field}:`) && /environment/.test(err.message),
    );
  }
  assert.throws(
    () => configFromObject({ sources, publish: { ...s3, secretKey: "x" } }, "/x"),
    /publish\.secretKey: credentials/,
  );
});

test("MCFG-03: a wrong store, bucket, endpoint or unknown field is one line naming the field", () => {
  const cases: [unknown, RegExp][] = [
    [{ store: "ftp" }, /media\.store: 'ftp' is not a media store/],
    [{ ...s3, bucket: "Bad_Bucket" }, /media\.bucket: 'Bad_Bucket' is not a bucket name/],
    [{ ...s3, endpoint: "s3.example.com" }, /media\.endpoint: 's3.example.com' is not an http\(s\) URL/],
    [{ ...s3, colour: "red" }, /media\.colour: unknown field/],
    [{ store: "repo", bucket: "x" }, /media\.bucket: only store: s3 takes settings/],
  ];
  for (const [media, want] of cases) {
    assert.throws(
      () => configFromObject({ sources, media }, "/x", "newsark.yaml"),
      (err: NewsarkError) => {
        assert.match(err.message, /^newsark\.yaml: /);
        assert.match(err.message, want);
        return true;
      },
    );
  }
});
