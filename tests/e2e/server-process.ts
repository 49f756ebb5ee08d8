/**
 * Starts the real Chairside server (`node --conditions=chairside-source --import tsx
 * bots/src/main.ts`) as a child process for end-to-end tests, and waits for its banner.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { fileURLToPath } from "node:url";

/** The repository root (the server's working directory). */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Environment variables of the server that a test must not inherit from the developer's shell. */
const SERVER_ENV = ["DATABASE_URL", "DATA_DIR", "PORT", "HOST", "PUBLIC_URL", "DEMO_DATA", "LOG_LEVEL", "CHAIRSIDE_SECRET_KEY"];
/** Prefixes of variables a developer's shell may carry that must not leak into a test server. */
const SERVER_ENV_PREFIXES = ["TELEGRAM_", "WHATSAPP_", "VIBER_", "WEBCHAT_"];

/** A free TCP port on 127.0.0.1 (free when asked; good enough for tests). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A running server process. `output` is everything it printed so far. */
export interface ServerProcess {
  child: ChildProcess;
  readonly output: string;
  /** SIGKILL: no shutdown at all, as a crash or an OOM kill. */
  kill(): Promise<void>;
  /** SIGTERM, and wait for the exit code. */
  stop(): Promise<number | null>;
}

/** Spawns the server with `env` and resolves once it printed "Chairside is running."; rejects on an early exit. */
export async function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !SERVER_ENV.includes(k) && !SERVER_ENV_PREFIXES.some((p) => k.startsWith(p))),
  );
  const child = spawn(process.execPath, ["--conditions=chairside-source", "--import", "tsx", "bots/src/main.ts"], {
    cwd: REPO_ROOT,
    env: { ...base, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The server did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = () => {
      if (output.includes("Chairside is running.")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited with ${code} before it was ready:\n${output}`));
    });
  });

  return {
    child,
    get output() {
      return output;
    },
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      child.kill("SIGTERM");
      return exited;
    },
  };
}
