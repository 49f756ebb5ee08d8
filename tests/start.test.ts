import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@chairside/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeTelegram } from "../bots/src/testing/fake-telegram.js";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Runs the real server entry (as `npm run dev` does) and collects its output. */
function startServer(env: Record<string, string>): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ["--conditions=chairside-source", "--import", "tsx", "bots/src/main.ts"], {
    cwd: REPO_ROOT,
    // Empty values override whatever a developer's .env says (the real environment wins).
    env: { ...process.env, TELEGRAM_BOT_TOKEN: "", PUBLIC_URL: "", TELEGRAM_WEBHOOK_SECRET: "", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exit };
}

async function waitFor<T>(what: string, probe: () => T | undefined, exit: Promise<unknown>, output: () => string): Promise<T> {
  let exited = false;
  void exit.then(() => (exited = true));
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (exited) throw new Error(`the server exited before ${what}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("npm start (the server process)", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(); // migrated, no salon yet: like a first start after npm run db:migrate
  });
  afterAll(async () => db.drop());

  it("seeds the demo salon into an empty database, serves /health, runs without a bot token, and stops cleanly on SIGINT", async () => {
    const server = startServer({ DATABASE_URL: db.url, HOST: "127.0.0.1", PORT: "0", DEMO_DATA: "true" });
    try {
      const health = await waitFor("printing its banner", () => /Health: +(http:\/\/\S+\/health)/.exec(server.output())?.[1], server.exit, server.output);
      const banner = server.output();
      expect(banner).toContain("Chairside is running.");
      const url = new URL(db.url);
      expect(banner).toContain(`Database: external PostgreSQL at ${url.hostname}:${url.port}/${db.name}`);
      expect(banner).toContain("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather, then paste the token in Settings → Channels (or put it in .env and restart)");
      expect(banner).not.toMatch(/postgresql:\/\//); // the URL is never printed

      const res = await fetch(health);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok", database: "ok" });
      const salons = await db.prisma.tenant.findMany({ select: { slug: true } });
      expect(salons).toEqual([{ slug: "demo" }]);

      server.child.kill("SIGINT");
      expect(await server.exit).toBe(0);
      expect(server.output()).toMatch(/Stopped HTTP server[\s\S]*Stopped database connections[\s\S]*Chairside stopped/);
    } finally {
      server.child.kill("SIGKILL");
    }
  });

  it("keeps serving the admin when Telegram refuses the token, and says what to fix", async () => {
    const telegram = await FakeTelegram.start({ token: "111111:the-right-token-which-the-fake-accepts-only" });
    const server = startServer({
      DATABASE_URL: db.url,
      HOST: "127.0.0.1",
      PORT: "0",
      TELEGRAM_BOT_TOKEN: "222222:a-token-botfather-never-issued-to-this-bot",
      TELEGRAM_API_ROOT: telegram.apiRoot,
    });
    try {
      const health = await waitFor("printing its banner", () => /Health: +(http:\/\/\S+\/health)/.exec(server.output())?.[1], server.exit, server.output);
      expect(server.output()).toMatch(/Telegram: +NOT running: Telegram refused the bot token \(401 Unauthorized\)/);
      expect(server.output()).not.toContain("a-token-botfather-never-issued"); // the token is never printed
      expect((await fetch(health)).status).toBe(200);
      server.child.kill("SIGINT");
      expect(await server.exit).toBe(0);
    } finally {
      server.child.kill("SIGKILL");
      await telegram.close();
    }
  });

  it("refuses a bad configuration with a message naming the variable and exit code 1", async () => {
    const server = startServer({ DATABASE_URL: db.url, PORT: "eighty" });
    expect(await server.exit).toBe(1);
    expect(server.output()).toMatch(/^The configuration is not valid:\n {2}- PORT must be a whole number/);
    expect(server.output()).not.toMatch(/\n\s+at /); // no stack trace
  });
});
