import { describe, expect, it } from "vitest";
import { createLogger, redact } from "./log.js";
import { SAMPLE_BOT_TOKEN } from "./testing/sample-token.js";

const TOKEN = SAMPLE_BOT_TOKEN;

describe("redact", () => {
  it("removes bot tokens, also inside Bot API URLs", () => {
    expect(redact(`token ${TOKEN} here`)).toBe("token [redacted bot token] here");
    expect(redact(`GET https://api.telegram.org/bot${TOKEN}/getMe failed`)).toBe("GET https://api.telegram.org/bot[redacted bot token]/getMe failed");
  });

  it("removes URL passwords but keeps user, host and database", () => {
    expect(redact("postgresql://chairside:s3cr%40t@db:5432/chairside")).toBe("postgresql://chairside:***@db:5432/chairside");
    expect(redact("see https://example.com/a:b and 12:30:00")).toBe("see https://example.com/a:b and 12:30:00");
  });
});

describe("createLogger", () => {
  it("writes at or above its level, warn and error to stderr, redacted, with fields", () => {
    const out: string[] = [];
    const err: string[] = [];
    const log = createLogger({ level: "info", sinks: { stdout: (l) => out.push(l), stderr: (l) => err.push(l) }, now: () => new Date("2030-01-01T00:00:00Z") });
    log.debug("hidden");
    log.info("started", { port: 3000, url: "postgresql://u:pw@h/db" });
    log.child("telegram").error("failed", { error: new Error(`bad token ${TOKEN}`) });
    expect(out).toEqual(["2030-01-01T00:00:00.000Z INFO  started port=3000 url=postgresql://u:***@h/db"]);
    expect(err).toEqual(['2030-01-01T00:00:00.000Z ERROR [telegram] failed error="Error: bad token [redacted bot token]"']);
  });
});
