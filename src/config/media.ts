import type { MediaSettings, PublishSettings, S3Settings } from "../store/media/types.js";
import { fail } from "./fields.js";

type Raw = Record<string, unknown>;

const S3_FIELDS = ["store", "endpoint", "bucket", "prefix", "region", "pathStyle", "publicUrl"];
// Secrets in a committed file leak with the first push: refused, wherever they are spelled.
const SECRET = /secret|password|token|credential|access.?key/i;

/** S3 credentials from the environment: NEWSARK_S3_*, else the AWS_* names every S3 tool knows. */
export function s3Credentials(env: NodeJS.ProcessEnv = process.env): {
  accessKey: string;
  secretKey: string;
} {
  return {
    accessKey: env.NEWSARK_S3_ACCESS_KEY_ID || env.AWS_ACCESS_KEY_ID || "",
    secretKey: env.NEWSARK_S3_SECRET_ACCESS_KEY || env.AWS_SECRET_ACCESS_KEY || "",
  };
}

function httpUrl(file: string, field: string, value: unknown): string {
  if (typeof value !== "string" || !/^https?:\/\/[^/\s]+/i.test(value.trim()))
    fail(file, field, `'${String(value)}' is not an http(s) URL`);
  return value.trim();
}

function readS3(file: string, section: string, raw: Raw): S3Settings {
  for (const key of Object.keys(raw)) {
    if (SECRET.test(key)) {
      fail(
        file,
        `${section}.${key}`,
        "credentials are read from the environment only (NEWSARK_S3_ACCESS_KEY_ID and NEWSARK_S3_SECRET_ACCESS_KEY), never from newsark.yaml",
      );
    }
    if (!S3_FIELDS.includes(key))
      fail(file, `${section}.${key}`, `unknown field (known: ${S3_FIELDS.join(", ")})`);
  }
  const bucket = raw.bucket;
  if (typeof bucket !== "string" || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    fail(
      file,
      `${section}.bucket`,
      `'${String(bucket)}' is not a bucket name (3-63 lowercase letters, digits, . or -)`,
    );
  const prefix = raw.prefix ?? "";
  if (typeof prefix !== "string" || prefix.startsWith("/") || prefix.split("/").includes(".."))
    fail(file, `${section}.prefix`, `'${String(prefix)}' must be a relative key prefix such as images/`);
  const region = raw.region ?? "us-east-1";
  if (typeof region !== "string" || region === "") fail(file, `${section}.region`, "expected a region name");
  const pathStyle = raw.pathStyle ?? true;
  if (typeof pathStyle !== "boolean") fail(file, `${section}.pathStyle`, "expected true or false");
  return {
    endpoint: httpUrl(file, `${section}.endpoint`, raw.endpoint),
    bucket,
    prefix: prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`,
    region,
    pathStyle,
    publicUrl: raw.publicUrl === undefined ? undefined : httpUrl(file, `${section}.publicUrl`, raw.publicUrl),
    ...s3Credentials(),
  };
}

/**
 * The `media:` and `publish:` sections of newsark.yaml: `media: { store: repo }` (the default) or
 * `media: { store: s3, endpoint, bucket, prefix, region, pathStyle, publicUrl }`, and
 * `publish: { store: s3, … }` for `newsark publish`. Credentials come from the environment only.
 *
 * @example
 * mediaConfig("newsark.yaml", { media: { store: "s3", endpoint: "https://s3.example", bucket: "news" } })
 */
export function mediaConfig(
  file: string,
  raw: Raw,
): { media: MediaSettings; publish?: PublishSettings | undefined } {
  const media = raw.media ?? { store: "repo" };
  if (typeof media !== "object" || media === null || Array.isArray(media))
    fail(file, "media", "expected { store: repo } or { store: s3, endpoint, bucket, … }");
  const m = media as Raw;
  let mediaSettings: MediaSettings;
  if (m.store === undefined || m.store === "repo") {
    const extra = Object.keys(m).find((k) => k !== "store");
    if (extra) fail(file, `media.${extra}`, "only store: s3 takes settings");
    mediaSettings = { store: "repo" };
  } else if (m.store === "s3") {
    mediaSettings = { store: "s3", ...readS3(file, "media", m) };
  } else {
    fail(file, "media.store", `'${String(m.store)}' is not a media store (repo or s3)`);
  }
  if (raw.publish === undefined) return { media: mediaSettings };
  const p = raw.publish;
  if (typeof p !== "object" || p === null || Array.isArray(p) || (p as Raw).store !== "s3")
    fail(file, "publish.store", "expected { store: s3, endpoint, bucket, … }");
  return { media: mediaSettings, publish: { store: "s3", ...readS3(file, "publish", p as Raw) } };
}
