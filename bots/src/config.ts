/**
 * The server's configuration: ONE zod schema for the environment, parsed once in `main`, turned
 * into resolved values that are handed to the parts (which never read `process.env`). A missing or
 * malformed value becomes a message that names the variable and says what to do; secret values
 * (bot token, webhook secret, database URL) are never echoed.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { z } from "zod";
import { LOG_LEVELS, type LogLevel } from "./log.js";

/** Where the database comes from: a server of the user's (DATABASE_URL) or the embedded one. */
export type DatabaseConfig = { kind: "external"; url: string } | { kind: "embedded"; dataDir: string };

/** Telegram settings; `webhook` is set when PUBLIC_URL is (webhook mode), else long polling. */
export interface TelegramConfig {
  token: string;
  apiRoot: string;
  webhook: { publicUrl: string; secret: string } | null;
}

/** The resolved configuration of the server. */
export interface Config {
  database: DatabaseConfig;
  http: { host: string; port: number };
  /** Public https base URL without a trailing slash, or null. */
  publicUrl: string | null;
  /** Null when TELEGRAM_BOT_TOKEN is not set: the bot is off. */
  telegram: TelegramConfig | null;
  logLevel: LogLevel;
  /** Seed the demo salon when the database has no salon yet. */
  demoData: boolean;
}

/** The environment as Node gives it. */
export type Env = Record<string, string | undefined>;

/** A configuration that cannot be used; `problems` has one line per variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(
      `The configuration is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}\n` +
        `Set these in .env (see .env.example) or in the environment, then start again.`,
    );
  }
}

// Empty or blank counts as unset, so `TELEGRAM_BOT_TOKEN=` in .env means "no bot".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" ? (v.trim() === "" ? undefined : v.trim()) : v), schema.optional());

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

const shown = (v: unknown) => JSON.stringify(String(v)).slice(0, 60);

/** Telegram bot token as @BotFather issues it. https://core.telegram.org/bots/api#authorizing-your-bot */
export const BOT_TOKEN_PATTERN = /^\d+:[A-Za-z0-9_-]{30,}$/;
/** secret_token of setWebhook: 1-256 of A-Z a-z 0-9 _ -. https://core.telegram.org/bots/api#setwebhook */
export const WEBHOOK_SECRET_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

/** Every environment variable the server reads, with its schema. */
export const envShape = {
  DATABASE_URL: optional(
    z.string().refine((v) => ["postgres:", "postgresql:"].includes(parseUrl(v)?.protocol ?? ""), {
      error:
        "DATABASE_URL is not a PostgreSQL URL: use the form postgresql://user:password@host:5432/chairside, " +
        "or remove it to use the embedded database.",
    }),
  ),
  DATA_DIR: optional(z.string()),
  HOST: optional(
    z.string().regex(/^[^\s/]+$/, { error: (i) => `HOST must be an interface address such as 0.0.0.0 or 127.0.0.1 (got ${shown(i.input)}).` }),
  ),
  PORT: optional(
    z
      .string()
      .regex(/^\d{1,5}$/, { error: (i) => `PORT must be a whole number from 0 to 65535, e.g. PORT=3000 (got ${shown(i.input)}).` })
      .transform(Number)
      .refine((n) => n <= 65_535, { error: (i) => `PORT must be a whole number from 0 to 65535, e.g. PORT=3000 (got ${shown(i.input)}).` }),
  ),
  PUBLIC_URL: optional(
    z.string().refine((v) => parseUrl(v)?.protocol === "https:", {
      error: (i) =>
        `PUBLIC_URL must be the https:// address where this server is reachable from the internet, e.g. https://chairside.example.com ` +
        `(got ${shown(i.input)}). Telegram delivers webhooks over HTTPS only; remove PUBLIC_URL to use long polling.`,
    }),
  ),
  TELEGRAM_BOT_TOKEN: optional(
    z.string().regex(BOT_TOKEN_PATTERN, {
      error:
        "TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then 30+ letters, digits, _ or -, e.g. 123456789:AAE...). " +
        "Copy it again from @BotFather (/mybots → API Token).",
    }),
  ),
  TELEGRAM_API_ROOT: optional(
    z.string().refine((v) => ["http:", "https:"].includes(parseUrl(v)?.protocol ?? ""), {
      error: (i) => `TELEGRAM_API_ROOT must be an http(s) URL of a Bot API server, e.g. https://api.telegram.org (got ${shown(i.input)}).`,
    }),
  ),
  TELEGRAM_WEBHOOK_SECRET: optional(
    z.string().regex(WEBHOOK_SECRET_PATTERN, {
      error:
        "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule for secret_token); " +
        "generate one with: openssl rand -hex 32",
    }),
  ),
  LOG_LEVEL: optional(
    z.enum(LOG_LEVELS, { error: (i) => `LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (got ${shown(i.input)}).` }),
  ),
  DEMO_DATA: optional(
    z
      .string()
      .transform((v) => v.toLowerCase())
      .refine((v) => ["true", "false", "1", "0", "yes", "no"].includes(v), {
        error: (i) => `DEMO_DATA must be true or false (got ${shown(i.input)}).`,
      })
      .transform((v) => ["true", "1", "yes"].includes(v)),
  ),
};

/** The names of all variables the server reads (for .env.example and the README table). */
export const ENV_VARIABLES = Object.keys(envShape) as (keyof typeof envShape)[];

const envSchema = z.object(envShape).superRefine((env, ctx) => {
  if (env.PUBLIC_URL && env.TELEGRAM_BOT_TOKEN && !env.TELEGRAM_WEBHOOK_SECRET) {
    ctx.addIssue({
      code: "custom",
      path: ["TELEGRAM_WEBHOOK_SECRET"],
      message:
        "TELEGRAM_WEBHOOK_SECRET is required when PUBLIC_URL and TELEGRAM_BOT_TOKEN are set (webhook mode): " +
        "generate one with `openssl rand -hex 32` and put it in .env, or remove PUBLIC_URL to use long polling.",
    });
  }
});

function problemsOf(error: z.ZodError): string[] {
  return [...new Set(error.issues.map((issue) => issue.message))];
}

function resolveDatabase(env: { DATABASE_URL?: string | undefined; DATA_DIR?: string | undefined }, cwd: string): DatabaseConfig {
  return env.DATABASE_URL
    ? { kind: "external", url: env.DATABASE_URL }
    : { kind: "embedded", dataDir: path.resolve(cwd, env.DATA_DIR ?? ".data") };
}

const trimSlash = (url: string) => url.replace(/\/+$/, "");

/**
 * Parses and resolves the whole configuration from `env`. Relative DATA_DIR is resolved against
 * `cwd`. Throws ConfigError listing every problem (each naming its variable).
 */
export function parseConfig(env: Env, cwd: string = process.cwd()): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) throw new ConfigError(problemsOf(result.error));
  const e = result.data;
  const publicUrl = e.PUBLIC_URL ? trimSlash(e.PUBLIC_URL) : null;
  return {
    database: resolveDatabase(e, cwd),
    http: { host: e.HOST ?? "0.0.0.0", port: e.PORT ?? 3000 },
    publicUrl,
    telegram: e.TELEGRAM_BOT_TOKEN
      ? {
          token: e.TELEGRAM_BOT_TOKEN,
          apiRoot: trimSlash(e.TELEGRAM_API_ROOT ?? "https://api.telegram.org"),
          webhook: publicUrl && e.TELEGRAM_WEBHOOK_SECRET ? { publicUrl, secret: e.TELEGRAM_WEBHOOK_SECRET } : null,
        }
      : null,
    logLevel: e.LOG_LEVEL ?? "info",
    demoData: e.DEMO_DATA ?? true,
  };
}

/** Only what `npm run db:migrate` needs: the database and the log level. Throws ConfigError. */
export function parseMigrateConfig(env: Env, cwd: string = process.cwd()): { database: DatabaseConfig; logLevel: LogLevel } {
  const schema = z.object({ DATABASE_URL: envShape.DATABASE_URL, DATA_DIR: envShape.DATA_DIR, LOG_LEVEL: envShape.LOG_LEVEL });
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(problemsOf(result.error));
  return { database: resolveDatabase(result.data, cwd), logLevel: result.data.LOG_LEVEL ?? "info" };
}

/**
 * Loads `<cwd>/.env` into `env` when the file exists, without overriding variables that are
 * already set (even to ""): the real environment wins. Returns the file's path, or null when there
 * is none. Throws when the file exists but cannot be read.
 */
export function loadDotEnv(env: Env, cwd: string = process.cwd()): string | null {
  const file = path.join(cwd, ".env");
  if (!existsSync(file)) return null;
  const values = parseEnv(readFileSync(file, "utf8"));
  for (const [key, value] of Object.entries(values)) {
    if (env[key] === undefined && value !== undefined) env[key] = value;
  }
  return file;
}

/** One line for the banner: where the database is, with any password removed. */
export function describeDatabase(database: DatabaseConfig): string {
  if (database.kind === "embedded") return `embedded PostgreSQL in ${database.dataDir}`;
  const url = parseUrl(database.url);
  if (!url) return "external PostgreSQL";
  return `external PostgreSQL at ${url.hostname || "local socket"}${url.port ? `:${url.port}` : ""}${url.pathname}`;
}
