import { resolve } from "node:path";
import { loadConfig } from "../../config/index.js";
import { NewsarkError } from "../../model/errors.js";
import { startServer } from "../../publish/site/serve.js";
import { type Command, parseCommandArgs } from "../io.js";

/** newsark serve [--config F] [--port 8080] [--host 127.0.0.1] [--out DIR]: builds the site and serves it until stopped. */
export const command: Command = async (argv, io) => {
  const { values } = parseCommandArgs(
    "serve",
    argv,
    {
      config: { type: "string" },
      port: { type: "string", default: "8080" },
      host: { type: "string", default: "127.0.0.1" },
      out: { type: "string" },
    },
    false,
  );
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new NewsarkError("usage", `serve: --port '${values.port}' is not a port number`);
  }
  const config = loadConfig(io.cwd, values.config);
  const outDir = values.out ? resolve(io.cwd, values.out) : resolve(config.root, "site");
  const server = await startServer(config, { port, host: values.host, outDir });
  io.stdout(`serve: ${server.url} (Ctrl-C to stop; the site is brought up to date in the background)\n`);
  server.ready.then(
    () => io.stdout("serve: site up to date\n"),
    (err: unknown) => io.stderr(`serve: build failed: ${err instanceof Error ? err.message : String(err)}\n`),
  );
  // Runs until the process is interrupted; closing lets in-flight responses finish.
  await new Promise<void>((done) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void server.close().then(done);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return 0;
};
