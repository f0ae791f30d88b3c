import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { Client } from "minio";
import { errorMessage, NewsarkError } from "../../../model/errors.js";
import type { S3Settings } from "../types.js";

/** A minio client and the connection pool it uses, so its sockets can be closed when newsark is done. */
export interface S3Connection {
  client: Client;
  close(): void;
}

/**
 * A minio client for a bucket. minio is loaded here, on first use, so runs that never touch S3 do not pay
 * for loading it.
 */
export async function s3Connect(settings: S3Settings): Promise<S3Connection> {
  if (!settings.accessKey || !settings.secretKey) {
    throw new NewsarkError(
      "store",
      `s3 ${settings.bucket}: no credentials: set NEWSARK_S3_ACCESS_KEY_ID and NEWSARK_S3_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`,
    );
  }
  const { Client } = await import("minio");
  const url = new URL(settings.endpoint);
  const useSSL = url.protocol === "https:";
  const agent = useSSL ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const client = new Client({
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : useSSL ? 443 : 80,
    useSSL,
    accessKey: settings.accessKey,
    secretKey: settings.secretKey,
    region: settings.region,
    pathStyle: settings.pathStyle,
    transportAgent: agent,
  });
  return { client, close: () => agent.destroy() };
}

/** Whether a minio error means the object (or bucket) is not there, as opposed to a failure. */
export function isNotFound(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === "NotFound" || code === "NoSuchKey";
}

/** A store failure as newsark reports it: the bucket, the key and why. */
export function storeError(settings: S3Settings, what: string, err: unknown): NewsarkError {
  return new NewsarkError("store", `s3 ${settings.bucket}: ${what}: ${errorMessage(err)}`, { cause: err });
}

/** Reads a stream (minio's getObject) into one buffer. */
export async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
