/**
 * A tiny leveled logger: one line per entry, `info`/`debug` to stdout, `warn`/`error` to stderr.
 * Every line goes through `redact` first, so a bot token or a database password that slips into a
 * message or an error never reaches the terminal or a log file.
 */

/** Log levels, least to most severe. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
/** One of `LOG_LEVELS`. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Extra structured data for a log line, rendered as `key=value` (errors as their message). */
export type LogFields = Record<string, unknown>;

/** What the server's parts log through. Classes receive one; they never create their own. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that prefixes every message with `[scope]` (e.g. "telegram"). */
  child(scope: string): Logger;
}

/** Where lines go; defaults to the process streams. Tests pass collectors. */
export interface LogSinks {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

// A Telegram bot token as @BotFather issues it: bot id, colon, 30+ url-safe characters.
// https://core.telegram.org/bots/api#authorizing-your-bot
const BOT_TOKEN = /\d+:[A-Za-z0-9_-]{30,}/g;
// scheme://user:password@host → keep scheme and user, drop the password.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]*@/gi;

/**
 * Removes secrets from `text`: anything shaped like a Telegram bot token becomes
 * `[redacted bot token]`, and the password of a URL (`postgresql://u:secret@h`) becomes `***`.
 */
export function redact(text: string): string {
  return text.replace(BOT_TOKEN, "[redacted bot token]").replace(URL_PASSWORD, "$1:***@");
}

function renderValue(value: unknown, withStack: boolean): string {
  if (value instanceof Error) {
    const text = withStack && value.stack ? value.stack : `${value.name}: ${value.message}`;
    return JSON.stringify(text);
  }
  if (typeof value === "string") return /^[\w.:/@+-]*$/.test(value) && value !== "" ? value : JSON.stringify(value);
  if (value === undefined) return "undefined";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Formats one log line (without newline): `<ISO time> <LEVEL> [scope] message key=value ...`. */
export function formatLine(level: LogLevel, scope: string | undefined, message: string, fields: LogFields | undefined, now: Date): string {
  const parts = [now.toISOString(), level.toUpperCase().padEnd(5), scope ? `[${scope}] ${message}` : message];
  for (const [key, value] of Object.entries(fields ?? {})) parts.push(`${key}=${renderValue(value, level === "debug")}`);
  return redact(parts.join(" "));
}

/**
 * Creates a logger that writes entries at `level` or above. `sinks` default to
 * `process.stdout`/`process.stderr`; `now` defaults to the wall clock (only used for timestamps).
 */
export function createLogger(options: { level: LogLevel; sinks?: LogSinks; now?: () => Date; scope?: string }): Logger {
  const sinks = options.sinks ?? {
    stdout: (line: string) => process.stdout.write(`${line}\n`),
    stderr: (line: string) => process.stderr.write(`${line}\n`),
  };
  const now = options.now ?? (() => new Date());
  const threshold = LOG_LEVELS.indexOf(options.level);
  const write = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const line = formatLine(level, options.scope, message, fields, now());
    (level === "warn" || level === "error" ? sinks.stderr : sinks.stdout)(line);
  };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: (scope) => createLogger({ ...options, sinks, now, scope: options.scope ? `${options.scope}:${scope}` : scope }),
  };
}
