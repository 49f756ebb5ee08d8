import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { DomainError } from "@chairside/core";
import type { Express } from "express";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "./log.js";
import { createHttpApp, loadAdminHandler, mountFallbacks } from "./server.js";

const lines: string[] = [];
const log = createLogger({ level: "debug", sinks: { stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) } });
const servers: http.Server[] = [];

async function serve(app: Express): Promise<string> {
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  lines.length = 0;
});

describe("GET /health", () => {
  it("is 200 when the database answers", async () => {
    const app = createHttpApp({ checkDatabase: async () => [{ "?column?": 1 }], log });
    mountFallbacks(app, { admin: null, log });
    const res = await fetch(`${await serve(app)}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: "ok" });
  });

  it("is 503 when the database fails or does not answer in time", async () => {
    const failing = createHttpApp({ checkDatabase: async () => Promise.reject(new Error("ECONNREFUSED")), log });
    const res = await fetch(`${await serve(failing)}/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "error", database: "unreachable" });

    const hanging = createHttpApp({ checkDatabase: () => new Promise(() => undefined), log, healthTimeoutMs: 50 });
    expect((await fetch(`${await serve(hanging)}/health`)).status).toBe(503);
    expect(lines.some((l) => l.includes("Health check failed"))).toBe(true);
  });
});

describe("fallbacks", () => {
  function appWithRoutes(): Express {
    const app = createHttpApp({ checkDatabase: async () => 1, log });
    app.get("/boom/domain", () => {
      throw new DomainError("slot_taken", "That time was just taken", { alternatives: [] });
    });
    app.get("/boom/secret", () => {
      throw new Error("connect to postgresql://u:hunter2@db failed");
    });
    return app;
  }

  it("answers unknown routes with JSON 404, also under /webhooks when the admin is mounted", async () => {
    const app = appWithRoutes();
    const admin = ((_req, res) => res.type("html").send("<h1>admin</h1>")) as Parameters<typeof mountFallbacks>[1]["admin"];
    mountFallbacks(app, { admin, log });
    const base = await serve(app);
    const res = await fetch(`${base}/webhooks/telegram/nope`, { method: "POST" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "No route for POST /webhooks/telegram/nope" } });
    expect(await (await fetch(`${base}/calendar`)).text()).toBe("<h1>admin</h1>");
  });

  it("maps a DomainError through httpStatusFor and masks unknown errors", async () => {
    const app = appWithRoutes();
    mountFallbacks(app, { admin: null, log });
    const base = await serve(app);
    const domain = await fetch(`${base}/boom/domain`);
    expect(domain.status).toBe(409);
    expect(await domain.json()).toEqual({ error: { code: "slot_taken", message: "That time was just taken", details: { alternatives: [] } } });

    const unknown = await fetch(`${base}/boom/secret`);
    expect(unknown.status).toBe(500);
    const body = (await unknown.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("internal");
    expect(JSON.stringify(body)).not.toContain("hunter2");
    const logged = lines.find((l) => l.includes("Unhandled error while serving a request")) ?? "";
    expect(logged).toContain("path=/boom/secret");
    expect(logged).not.toContain("hunter2");
  });

  it("serves a page that says how to build the admin when it is not built", async () => {
    const app = appWithRoutes();
    mountFallbacks(app, { admin: null, log });
    const base = await serve(app);
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("npm run build");
    expect((await fetch(`${base}/calendar`)).status).toBe(404);
  });

  it("hands the admin context to the admin handler on the request", async () => {
    const app = appWithRoutes();
    const admin = ((req, res) => res.json({ hasCore: (req as { chairside?: { core: unknown } }).chairside?.core === "CORE" })) as Parameters<
      typeof mountFallbacks
    >[1]["admin"];
    mountFallbacks(app, { admin, adminContext: { core: "CORE" }, log });
    expect(await (await fetch(`${await serve(app)}/`)).json()).toEqual({ hasCore: true });
  });
});

describe("loadAdminHandler", () => {
  it("returns null when the admin is not built and rejects a file without a handler", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "chairside-admin-"));
    try {
      expect(await loadAdminHandler(path.join(dir, "handler.js"))).toBeNull();
      await fs.writeFile(path.join(dir, "bad.mjs"), "export const nothing = 1;\n");
      await expect(loadAdminHandler(path.join(dir, "bad.mjs"))).rejects.toThrow(/does not export a request handler/);
      await fs.writeFile(path.join(dir, "good.mjs"), "export const handler = (req, res) => res.end('ok');\n");
      expect(typeof (await loadAdminHandler(path.join(dir, "good.mjs")))).toBe("function");
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
