/**
 * The server's configuration: ONE zod schema for the environment, parsed once in `main`, turned
 * into resolved values that are handed to the parts (which never read `process.env`). A missing or
 * malformed value becomes a message that names the variable and says what to do; secret values
 * (bot token, webhook secret, database URL, WhatsApp and Viber tokens, the secret key) are never
 * echoed. The messenger variables configure the first salon; the server writes them (encrypted)
 * into its channel connections at start (bots/src/channels/platform.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { z } from "zod";
import { BOT_TOKEN_PATTERN, WEBHOOK_SECRET_PATTERN } from "./channels/telegram/credentials.js";
import { LOG_LEVELS, type LogLevel } from "./log.js";

export { BOT_TOKEN_PATTERN, WEBHOOK_SECRET_PATTERN };

/** Where the database comes from: a server of the user's (DATABASE_URL) or the embedded one. */
export type DatabaseConfig = { kind: "external"; url: string } | { kind: "embedded"; dataDir: string };

/** Telegram settings; `webhook` is set when PUBLIC_URL is (webhook mode), else long polling. */
export interface TelegramConfig {
  token: string;
  apiRoot: string;
  webhook: { publicUrl: string; secret: string } | null;
}

/**
 * The first salon's WhatsApp Cloud API credentials (all four values together; webhook only, so
 * PUBLIC_URL is required). Field names are those of the WhatsApp plugin's credentials.
 */
export interface WhatsAppConfig {
  phoneNumberId: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  graphUrl: string;
}

/** The first salon's Viber credentials (webhook only: PUBLIC_URL is required). */
export interface ViberConfig {
  authToken: string;
  apiUrl: string;
}

/** The first salon's Azure Bot Service app for web chat (optional: the booking-page widget needs none). */
export interface WebchatConfig {
  appId: string;
  appPassword: string;
  appTenantId: string | null;
}

/** The resolved configuration of the server. */
export interface Config {
  database: DatabaseConfig;
  /** DATA_DIR resolved (the embedded database, the generated secret key file). */
  dataDir: string;
  /** CHAIRSIDE_SECRET_KEY as given (validated), or null: the key file in `dataDir` is used. */
  secretKey: string | null;
  http: { host: string; port: number };
  /** Public https base URL without a trailing slash, or null. */
  publicUrl: string | null;
  /** Null when TELEGRAM_BOT_TOKEN is not set (the first salon may still have a stored bot). */
  telegram: TelegramConfig | null;
  /** Null when the WHATSAPP_* variables are not set. */
  whatsapp: WhatsAppConfig | null;
  /** Null when VIBER_AUTH_TOKEN is not set. */
  viber: ViberConfig | null;
  /** Null when WEBCHAT_APP_ID is not set: web chat serves the booking page only. */
  webchat: WebchatConfig | null;
  logLevel: LogLevel;
  /** Seed the demo salon when the database has no salon yet. */
  demoData: boolean;
  /** Run the job worker (outbox delivery, reminders, no-shows) inside the server (default); false when `npm run worker` processes do. */
  jobsInServer: boolean;
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
        `(got ${shown(i.input)}). Messengers deliver webhooks over HTTPS only; remove PUBLIC_URL to use Telegram by long polling.`,
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
  CHAIRSIDE_SECRET_KEY: optional(
    z.string().refine((v) => /^[0-9a-fA-F]{64}$/.test(v) || (/^[A-Za-z0-9+/_-]{43}=?$/.test(v) && Buffer.from(v, "base64").length === 32), {
      error:
        "CHAIRSIDE_SECRET_KEY must be 32 random bytes as base64 (44 characters) or hex (64 characters): generate one with " +
        "`openssl rand -base64 32`. Keep it: the stored channel credentials can only be read with the same key.",
    }),
  ),
  WHATSAPP_PHONE_NUMBER_ID: optional(
    z.string().regex(/^\d{5,30}$/, {
      error: "WHATSAPP_PHONE_NUMBER_ID must be the phone number ID (digits only) from WhatsApp → API Setup in Meta's app dashboard, not the phone number.",
    }),
  ),
  WHATSAPP_ACCESS_TOKEN: optional(
    z.string().regex(/^\S{20,}$/, { error: "WHATSAPP_ACCESS_TOKEN does not look like an access token: copy the system user token again, without spaces." }),
  ),
  WHATSAPP_APP_SECRET: optional(
    z.string().regex(/^\S{8,}$/, { error: "WHATSAPP_APP_SECRET does not look like an app secret: copy it again from App settings → Basic in Meta's app dashboard." }),
  ),
  WHATSAPP_VERIFY_TOKEN: optional(
    z.string().regex(/^\S{8,256}$/, { error: "WHATSAPP_VERIFY_TOKEN must be 8-256 characters without spaces: generate one with openssl rand -hex 16." }),
  ),
  WHATSAPP_GRAPH_URL: optional(
    z.string().refine((v) => ["http:", "https:"].includes(parseUrl(v)?.protocol ?? ""), {
      error: (i) => `WHATSAPP_GRAPH_URL must be an http(s) URL of the Graph API with its version, e.g. https://graph.facebook.com/v23.0 (got ${shown(i.input)}).`,
    }),
  ),
  VIBER_AUTH_TOKEN: optional(
    z.string().regex(/^[\x21-\x7e]{10,}$/, { error: "VIBER_AUTH_TOKEN does not look like a Viber token: copy it again from the Viber admin panel (Edit info → Token)." }),
  ),
  VIBER_API_URL: optional(
    z.string().refine((v) => ["http:", "https:"].includes(parseUrl(v)?.protocol ?? ""), {
      error: (i) => `VIBER_API_URL must be an http(s) URL of the Viber REST API, e.g. https://chatapi.viber.com/pa (got ${shown(i.input)}).`,
    }),
  ),
  WEBCHAT_APP_ID: optional(
    z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
      error: "WEBCHAT_APP_ID must be the Microsoft App ID (a GUID) from the Azure Bot's Configuration page; remove it to serve only the booking-page chat.",
    }),
  ),
  WEBCHAT_APP_PASSWORD: optional(
    z.string().regex(/^\S{8,}$/, { error: "WEBCHAT_APP_PASSWORD does not look like a client secret: copy its value again from Entra ID → App registrations → Certificates & secrets." }),
  ),
  WEBCHAT_APP_TENANT_ID: optional(
    z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
      error: "WEBCHAT_APP_TENANT_ID must be the Entra tenant id (a GUID) of a single-tenant app; leave it out for a multi-tenant app.",
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
  JOBS_IN_SERVER: optional(
    z
      .string()
      .transform((v) => v.toLowerCase())
      .refine((v) => ["true", "false", "1", "0", "yes", "no"].includes(v), {
        error: (i) => `JOBS_IN_SERVER must be true or false (got ${shown(i.input)}); set false only when \`npm run worker\` processes run the jobs.`,
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
  const whatsapp = {
    WHATSAPP_PHONE_NUMBER_ID: env.WHATSAPP_PHONE_NUMBER_ID,
    WHATSAPP_ACCESS_TOKEN: env.WHATSAPP_ACCESS_TOKEN,
    WHATSAPP_APP_SECRET: env.WHATSAPP_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: env.WHATSAPP_VERIFY_TOKEN,
  };
  const missing = Object.entries(whatsapp).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length > 0 && missing.length < 4) {
    ctx.addIssue({
      code: "custom",
      path: [missing[0]!],
      message: `WhatsApp needs all four of WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_ACCESS_TOKEN, WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN; missing: ${missing.join(", ")}. Set them (see README → Channels), or remove the others to leave WhatsApp off.`,
    });
  }
  if (missing.length === 0 && !env.PUBLIC_URL) {
    ctx.addIssue({
      code: "custom",
      path: ["PUBLIC_URL"],
      message: "WhatsApp needs PUBLIC_URL (the https:// address of this server): Meta delivers messages only to a webhook.",
    });
  }
  if (Boolean(env.WEBCHAT_APP_ID) !== Boolean(env.WEBCHAT_APP_PASSWORD)) {
    ctx.addIssue({
      code: "custom",
      path: [env.WEBCHAT_APP_ID ? "WEBCHAT_APP_PASSWORD" : "WEBCHAT_APP_ID"],
      message: "Web chat needs both WEBCHAT_APP_ID and WEBCHAT_APP_PASSWORD for Azure Bot Service, or neither (the booking-page chat needs no account).",
    });
  }
  if (env.VIBER_AUTH_TOKEN && !env.PUBLIC_URL) {
    ctx.addIssue({
      code: "custom",
      path: ["PUBLIC_URL"],
      message: "Viber needs PUBLIC_URL (the https:// address of this server): Viber delivers messages only to a webhook.",
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
    dataDir: path.resolve(cwd, e.DATA_DIR ?? ".data"),
    secretKey: e.CHAIRSIDE_SECRET_KEY ?? null,
    http: { host: e.HOST ?? "0.0.0.0", port: e.PORT ?? 3000 },
    publicUrl,
    telegram: e.TELEGRAM_BOT_TOKEN
      ? {
          token: e.TELEGRAM_BOT_TOKEN,
          apiRoot: trimSlash(e.TELEGRAM_API_ROOT ?? "https://api.telegram.org"),
          webhook: publicUrl && e.TELEGRAM_WEBHOOK_SECRET ? { publicUrl, secret: e.TELEGRAM_WEBHOOK_SECRET } : null,
        }
      : null,
    whatsapp:
      e.WHATSAPP_PHONE_NUMBER_ID && e.WHATSAPP_ACCESS_TOKEN && e.WHATSAPP_APP_SECRET && e.WHATSAPP_VERIFY_TOKEN
        ? {
            phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID,
            accessToken: e.WHATSAPP_ACCESS_TOKEN,
            appSecret: e.WHATSAPP_APP_SECRET,
            verifyToken: e.WHATSAPP_VERIFY_TOKEN,
            graphUrl: trimSlash(e.WHATSAPP_GRAPH_URL ?? "https://graph.facebook.com/v23.0"),
          }
        : null,
    viber: e.VIBER_AUTH_TOKEN ? { authToken: e.VIBER_AUTH_TOKEN, apiUrl: trimSlash(e.VIBER_API_URL ?? "https://chatapi.viber.com/pa") } : null,
    webchat: e.WEBCHAT_APP_ID && e.WEBCHAT_APP_PASSWORD ? { appId: e.WEBCHAT_APP_ID, appPassword: e.WEBCHAT_APP_PASSWORD, appTenantId: e.WEBCHAT_APP_TENANT_ID ?? null } : null,
    logLevel: e.LOG_LEVEL ?? "info",
    demoData: e.DEMO_DATA ?? true,
    jobsInServer: e.JOBS_IN_SERVER ?? true,
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
