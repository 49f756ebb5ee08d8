import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, describeDatabase, loadDotEnv, parseConfig, parseMigrateConfig, type Env } from "./config.js";
import { SAMPLE_BOT_TOKEN } from "./testing/sample-token.js";

const TOKEN = SAMPLE_BOT_TOKEN;
const SECRET = "s3cr3t_webhook-token";

function problemsFor(env: Env): string[] {
  try {
    parseConfig(env, "/srv/chairside");
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("parseConfig", () => {
  it("uses the embedded database and defaults when nothing is set", () => {
    expect(parseConfig({}, "/srv/chairside")).toEqual({
      database: { kind: "embedded", dataDir: "/srv/chairside/.data" },
      dataDir: "/srv/chairside/.data",
      secretKey: null,
      http: { host: "0.0.0.0", port: 3000 },
      publicUrl: null,
      telegram: null,
      whatsapp: null,
      viber: null,
      webchat: null,
      logLevel: "info",
      demoData: true,
      jobsInServer: true,
    });
  });

  it("parses a full webhook configuration", () => {
    const config = parseConfig(
      {
        DATABASE_URL: "postgresql://chairside:pw@db:5432/chairside",
        DATA_DIR: "/var/lib/x",
        HOST: "127.0.0.1",
        PORT: "8080",
        PUBLIC_URL: "https://salon.example.com/",
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: "http://127.0.0.1:8081/",
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        LOG_LEVEL: "debug",
        DEMO_DATA: "false",
        UNRELATED: "ignored",
      },
      "/srv/chairside",
    );
    expect(config).toEqual({
      database: { kind: "external", url: "postgresql://chairside:pw@db:5432/chairside" },
      dataDir: "/var/lib/x",
      secretKey: null,
      http: { host: "127.0.0.1", port: 8080 },
      publicUrl: "https://salon.example.com",
      telegram: { token: TOKEN, apiRoot: "http://127.0.0.1:8081", webhook: { publicUrl: "https://salon.example.com", secret: SECRET } },
      whatsapp: null,
      viber: null,
      webchat: null,
      logLevel: "debug",
      demoData: false,
      jobsInServer: true,
    });
  });

  it("runs Telegram by long polling when PUBLIC_URL is not set, and treats empty values as unset", () => {
    const config = parseConfig({ TELEGRAM_BOT_TOKEN: TOKEN, PUBLIC_URL: "", DATA_DIR: "state", PORT: "0" }, "/srv/chairside");
    expect(config.telegram).toEqual({ token: TOKEN, apiRoot: "https://api.telegram.org", webhook: null });
    expect(config.database).toEqual({ kind: "embedded", dataDir: "/srv/chairside/state" });
    expect(config.http.port).toBe(0);
  });

  it.each([
    ["PORT", "abc", /^PORT must be a whole number from 0 to 65535.*"abc"/],
    ["PORT", "70000", /^PORT must be a whole number/],
    ["HOST", "0.0.0.0 x", /^HOST must be/],
    ["DATABASE_URL", "mysql://u:p@h/db", /^DATABASE_URL is not a PostgreSQL URL.*remove it to use the embedded database/],
    ["PUBLIC_URL", "http://salon.example.com", /^PUBLIC_URL must be the https:\/\/ address/],
    ["TELEGRAM_BOT_TOKEN", "not-a-token", /^TELEGRAM_BOT_TOKEN does not look like a bot token.*@BotFather/],
    ["TELEGRAM_API_ROOT", "ftp://x", /^TELEGRAM_API_ROOT must be an http\(s\) URL/],
    ["TELEGRAM_WEBHOOK_SECRET", "has spaces!", /^TELEGRAM_WEBHOOK_SECRET must be 1-256 characters.*openssl rand -hex 32/],
    ["TELEGRAM_WEBHOOK_SECRET", "x".repeat(257), /^TELEGRAM_WEBHOOK_SECRET must be 1-256 characters/],
    ["LOG_LEVEL", "verbose", /^LOG_LEVEL must be one of debug, info, warn, error/],
    ["DEMO_DATA", "maybe", /^DEMO_DATA must be true or false/],
    ["CHAIRSIDE_SECRET_KEY", "too-short", /^CHAIRSIDE_SECRET_KEY must be 32 random bytes.*openssl rand -base64 32/],
    ["WHATSAPP_GRAPH_URL", "graph.facebook.com", /^WHATSAPP_GRAPH_URL must be an http\(s\) URL/],
    ["VIBER_API_URL", "ftp://viber", /^VIBER_API_URL must be an http\(s\) URL/],
  ])("rejects %s=%j with a message naming the variable", (name, value, message) => {
    const problems = problemsFor({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it("never echoes secret values in its messages", () => {
    const badToken = "123:short-but-secret";
    const badUrl = "mysql://user:hunter2@db/x";
    const problems = problemsFor({ TELEGRAM_BOT_TOKEN: badToken, DATABASE_URL: badUrl, TELEGRAM_WEBHOOK_SECRET: "bad secret value" });
    expect(problems).toHaveLength(3);
    const text = problems.join("\n");
    expect(text).not.toContain("short-but-secret");
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("bad secret value");
  });

  it("requires TELEGRAM_WEBHOOK_SECRET when PUBLIC_URL and a token are set, and says how to make one", () => {
    const problems = problemsFor({ PUBLIC_URL: "https://salon.example.com", TELEGRAM_BOT_TOKEN: TOKEN });
    expect(problems).toEqual([expect.stringMatching(/^TELEGRAM_WEBHOOK_SECRET is required when PUBLIC_URL and TELEGRAM_BOT_TOKEN are set.*openssl rand -hex 32/)]);
    // Without a token there is no webhook, so no secret is needed.
    expect(parseConfig({ PUBLIC_URL: "https://salon.example.com" }).telegram).toBeNull();
  });

  const WHATSAPP_ENV = {
    WHATSAPP_PHONE_NUMBER_ID: "106540352242922",
    WHATSAPP_ACCESS_TOKEN: "EAAG-test-access-token-0123456789",
    WHATSAPP_APP_SECRET: "app-secret-0123456789",
    WHATSAPP_VERIFY_TOKEN: "verify-token-0123",
  };
  const KEY = "q5q8KZQk0Qx8r2y6cPZ0Zb0o1fS9W8l3m4n5o6p7q8E=";

  it("reads the optional Azure Bot Service app of web chat; id and password go together", () => {
    const id = "11111111-2222-4333-8444-555555555555";
    expect(parseConfig({ WEBCHAT_APP_ID: id, WEBCHAT_APP_PASSWORD: "client-secret-value" }, "/srv").webchat).toEqual({ appId: id, appPassword: "client-secret-value", appTenantId: null });
    expect(() => parseConfig({ WEBCHAT_APP_ID: id }, "/srv")).toThrow(/WEBCHAT_APP_ID and WEBCHAT_APP_PASSWORD/);
    expect(() => parseConfig({ WEBCHAT_APP_ID: "not-a-guid", WEBCHAT_APP_PASSWORD: "client-secret-value" }, "/srv")).toThrow(/WEBCHAT_APP_ID must be the Microsoft App ID/);
  });

  it("reads the first salon's WhatsApp and Viber credentials and the secret key", () => {
    const config = parseConfig({ ...WHATSAPP_ENV, PUBLIC_URL: "https://salon.example.com", VIBER_AUTH_TOKEN: "445da6az1s345z78-dazcczb2542zv51a", CHAIRSIDE_SECRET_KEY: KEY }, "/srv");
    expect(config.whatsapp).toEqual({
      phoneNumberId: "106540352242922",
      accessToken: "EAAG-test-access-token-0123456789",
      appSecret: "app-secret-0123456789",
      verifyToken: "verify-token-0123",
      graphUrl: "https://graph.facebook.com/v23.0",
    });
    expect(config.viber).toEqual({ authToken: "445da6az1s345z78-dazcczb2542zv51a", apiUrl: "https://chatapi.viber.com/pa" });
    expect(config.secretKey).toBe(KEY);
    const custom = parseConfig({ ...WHATSAPP_ENV, PUBLIC_URL: "https://s.example", WHATSAPP_GRAPH_URL: "http://127.0.0.1:9/v23.0/", VIBER_AUTH_TOKEN: "token-0123456789", VIBER_API_URL: "http://127.0.0.1:8/pa/" });
    expect(custom.whatsapp?.graphUrl).toBe("http://127.0.0.1:9/v23.0");
    expect(custom.viber?.apiUrl).toBe("http://127.0.0.1:8/pa");
  });

  it("names what WhatsApp is missing from a partial set, and that webhook-only channels need PUBLIC_URL", () => {
    const { WHATSAPP_APP_SECRET: _a, WHATSAPP_VERIFY_TOKEN: _v, ...partial } = WHATSAPP_ENV;
    expect(problemsFor({ ...partial, PUBLIC_URL: "https://salon.example.com" })).toEqual([
      expect.stringMatching(/^WhatsApp needs all four of .*; missing: WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN\./),
    ]);
    expect(problemsFor(WHATSAPP_ENV)).toEqual([expect.stringMatching(/^WhatsApp needs PUBLIC_URL/)]);
    expect(problemsFor({ VIBER_AUTH_TOKEN: "token-0123456789" })).toEqual([expect.stringMatching(/^Viber needs PUBLIC_URL/)]);
    const text = problemsFor({ ...partial, WHATSAPP_GRAPH_URL: "x" }).join("\n") + problemsFor(WHATSAPP_ENV).join("\n");
    expect(text).not.toContain("EAAG-test");
  });

  it("reports every problem at once and says where to fix them", () => {
    const error = (() => {
      try {
        parseConfig({ PORT: "x", LOG_LEVEL: "loud" });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error("expected a ConfigError");
    })();
    expect(error.problems).toHaveLength(2);
    expect(error.message).toMatch(/^The configuration is not valid:\n {2}- PORT.*\n {2}- LOG_LEVEL.*\nSet these in \.env \(see \.env\.example\)/s);
  });
});

describe("parseMigrateConfig", () => {
  it("only looks at the database variables", () => {
    expect(parseMigrateConfig({ PUBLIC_URL: "http://not-checked", DATA_DIR: "d" }, "/app")).toEqual({
      database: { kind: "embedded", dataDir: "/app/d" },
      logLevel: "info",
    });
    expect(() => parseMigrateConfig({ DATABASE_URL: "nope" })).toThrow(/DATABASE_URL is not a PostgreSQL URL/);
  });
});

describe("loadDotEnv", () => {
  it("loads .env without overriding the real environment (an empty value counts as set)", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "chairside-env-"));
    try {
      await fs.writeFile(path.join(dir, ".env"), `# comment\nPORT=4000\nLOG_LEVEL=debug\nTELEGRAM_BOT_TOKEN=${TOKEN}\n`);
      const env: Env = { LOG_LEVEL: "warn", TELEGRAM_BOT_TOKEN: "" };
      expect(loadDotEnv(env, dir)).toBe(path.join(dir, ".env"));
      expect(env).toEqual({ PORT: "4000", LOG_LEVEL: "warn", TELEGRAM_BOT_TOKEN: "" });
      expect(loadDotEnv({}, path.join(dir, "missing"))).toBeNull();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe("describeDatabase", () => {
  it("names the host and database but never the password", () => {
    const text = describeDatabase({ kind: "external", url: "postgresql://chairside:hunter2@db.internal:5433/salon" });
    expect(text).toBe("external PostgreSQL at db.internal:5433/salon");
    expect(describeDatabase({ kind: "embedded", dataDir: "/srv/.data" })).toBe("embedded PostgreSQL in /srv/.data");
  });
});
