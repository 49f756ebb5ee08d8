/**
 * Resolves the database the same way for `npm start` and `npm run db:migrate`: the server named
 * by DATABASE_URL, or the embedded PostgreSQL under DATA_DIR.
 */
import { startEmbeddedPostgres } from "@chairside/core";
import { type DatabaseConfig, describeDatabase } from "./config.js";
import type { Logger } from "./log.js";

/** A database ready for connections. */
export interface OpenDatabase {
  /** Connection URL (may contain a password: never print it). */
  url: string;
  kind: DatabaseConfig["kind"];
  /** For people: where it is, without secrets. */
  description: string;
  /** Stops the embedded server; does nothing for an external one. */
  stop(): Promise<void>;
}

/** Opens the configured database, starting (and on first use creating) the embedded one. */
export async function openDatabase(config: DatabaseConfig, log: Logger): Promise<OpenDatabase> {
  if (config.kind === "external") {
    return { url: config.url, kind: "external", description: describeDatabase(config), stop: async () => undefined };
  }
  const dbLog = log.child("database");
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, log: (level, message) => dbLog[level](message) });
  return {
    url: embedded.url,
    kind: "embedded",
    description: `embedded PostgreSQL ${embedded.version} in ${embedded.dataDir} (${embedded.host}:${embedded.port})`,
    stop: () => embedded.stop(),
  };
}

/**
 * A message for people when the database cannot be used: connection refused, unknown host, wrong
 * password or missing database become a sentence that says what to check; other errors keep their
 * message. Never contains the password.
 */
export function explainDatabaseError(error: unknown, description: string): string {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === "string" ? e.code : "";
  const fix = "check DATABASE_URL (or remove it to use the embedded database)";
  switch (code) {
    case "ECONNREFUSED":
    case "ETIMEDOUT":
      return `Cannot reach the ${description} (${code}): is PostgreSQL running there? ${fix}.`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `The host of the ${description} is unknown (${code}): ${fix}.`;
    case "28P01":
    case "28000":
      return `The ${description} refused the login (wrong user or password): ${fix}.`;
    case "3D000":
      return `The database of the ${description} does not exist: create it (createdb <name>) or ${fix}.`;
    default:
      return typeof e?.message === "string" ? e.message : String(error);
  }
}
