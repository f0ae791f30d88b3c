import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { Socket } from "node:net";
import type { Client } from "minio";
import { errorMessage, NewsarkError } from "../../../model/errors.js";
import type { S3Settings } from "../types.js";

/** A minio client and the connection pool it uses, so its sockets can be closed when newsark is done. */
export interface S3Connection {
  client: Client;
  close(): void;
}

/** A store that goes silent fails the request after this long without a byte, instead of stalling a run. */
export const S3_IDLE_TIMEOUT_MS = 30_000;

/**
 * A keep-alive connection pool whose sockets are destroyed after S3_IDLE_TIMEOUT_MS of silence: minio sets no
 * timeout of its own, so this bounds every request, and idle pooled sockets never keep the process alive.
 */
function boundedAgent(useSSL: boolean): HttpAgent {
  const agent = useSSL ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const pool = agent as unknown as { createConnection: (...args: unknown[]) => Socket };
  const create = pool.createConnection.bind(agent);
  pool.createConnection = (...args: unknown[]) => {
    const socket = create(...args);
    socket.setTimeout(S3_IDLE_TIMEOUT_MS, () =>
      socket.destroy(new Error(`no answer in ${S3_IDLE_TIMEOUT_MS / 1000} s`)),
    );
    return socket;
  };
  return agent;
}

/**
 * A minio client for a bucket. minio is loaded here, on first use, so runs that never touch S3 do not pay
 * for loading it.
 */
export async function s3Connect(settings: S3Settings): Promise<S3Connection> {
  if (!settings.accessKey || !settings.secretKey) {
    // Missing credentials are the user's set-up (exit 2), not a store that refused (exit 5).
    throw new NewsarkError(
      "config",
      `s3 ${settings.bucket}: no credentials: set NEWSARK_S3_ACCESS_KEY_ID and NEWSARK_S3_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`,
    );
  }
  const { Client } = await import("minio");
  const url = new URL(settings.endpoint);
  const useSSL = url.protocol === "https:";
  const agent = boundedAgent(useSSL);
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
