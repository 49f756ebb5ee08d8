import http from "node:http";
import type { AddressInfo } from "node:net";
import { ChannelConnectionsService, type ChatKey, createChatStores, createCore, generateSecretKey, SecretBox, seedDemoSalon, type Core, type TenantView } from "@chairside/core";
import { createTestDatabase, createTestSalon, type TestDatabase } from "@chairside/core/testing";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { MemoryLogger } from "../testing/scripted-chat.js";
import type { Channel } from "./channel.js";
import { ChannelHub, validCredentials } from "./dispatch.js";
import type { ChannelPlugin } from "./plugin.js";

/**
 * A minimal plugin: a shared secret header, JSON { messages: [{ id, chat, text }], statuses?: [...] }.
 * A body with `hold: true` is stored only once `builds.release` (when set) resolves.
 */
function echoPlugin(builds: { channels: number; webhooks: number; release?: Promise<void> }): ChannelPlugin<{ secret: string; senderName: string }> {
  const channel: Channel = { name: "echo", limits: { maxChoices: 10, maxLabelLength: 20, sharesContact: true }, parse: () => [], send: async () => {} };
  return {
    name: "echo",
    credentialsSchema: z.object({ secret: z.string({ error: "The echo secret is missing" }).min(8), senderName: z.string() }),
    createChannel: () => {
      builds.channels++;
      return channel;
    },
    createWebhookHandler: ({ credentials, deliver, welcome }) => {
      builds.webhooks++;
      const json = express.json({ limit: "1mb" });
      return (req, res, next) => {
        if (req.get("x-secret") !== credentials.secret) {
          res.status(401).json({ error: "unauthorized" });
          return;
        }
        json(req, res, async (e?: unknown) => {
          if (e) return next(e);
          const body = req.body as { messages?: { id: string; chat: string; text: string }[]; statuses?: { id: string; status: "delivered" }[]; welcome?: boolean; hold?: boolean };
          if (body.hold) await builds.release;
          if (body.welcome) {
            res.json({ welcome: await welcome?.("u", { languageCode: "en" }), sender: credentials.senderName });
            return;
          }
          await deliver({
            messages: (body.messages ?? []).map((m) => ({ chatId: m.chat, userId: m.chat, eventId: m.id, profile: {}, event: { kind: "text", text: m.text } })),
            statuses: (body.statuses ?? []).map((s) => ({ providerMessageId: s.id, status: s.status, at: new Date(0), recipientId: "r", eventId: `${s.id}:${s.status}` })),
            notices: [{ kind: "subscription", userId: "u1", subscribed: true, eventId: "sub-1" }],
          });
          res.json({ ok: true });
        });
      };
    },
  };
}

describe("ChannelHub: webhook routing per channel and salon (real PostgreSQL)", () => {
  let db: TestDatabase;
  let core: Core;
  let tenant: TenantView;
  let connections: ChannelConnectionsService;
  let server: http.Server;
  let origin: string;
  const builds: { channels: number; webhooks: number; release?: Promise<void> } = { channels: 0, webhooks: 0 };
  let hub: ChannelHub;
  const kicked: ChatKey[] = [];
  const log = new MemoryLogger();

  const post = (path: string, body: unknown, secret = "echo-secret-1") =>
    fetch(`${origin}${path}`, { method: "POST", headers: { "content-type": "application/json", "x-secret": secret }, body: JSON.stringify(body) });

  beforeAll(async () => {
    db = await createTestDatabase();
    core = createCore(db.prisma);
    tenant = (await seedDemoSalon(db.prisma))!;
    connections = new ChannelConnectionsService(db.prisma, SecretBox.fromKey(generateSecretKey()));
    hub = new ChannelHub({
      core,
      connections,
      inbox: createChatStores(db.prisma).inbox,
      plugins: { echo: echoPlugin(builds) },
      log,
      onDelivered: (chats) => kicked.push(...chats),
      welcome: (t, profile) => ({ text: `Welcome to ${t.name} (${profile.languageCode})` }),
    });
    const app = express();
    app.all("/webhooks/:channel/:slug", hub.webhookRoute());
    server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
    await db.drop();
  });
  beforeEach(() => {
    kicked.length = 0;
  });

  it("answers 404 JSON for an unknown channel, an unknown salon and a salon without the connection", async () => {
    for (const path of ["/webhooks/fax/demo", "/webhooks/echo/nosuchsalon", "/webhooks/echo/Bad%20Slug", "/webhooks/echo/demo"]) {
      const res = await post(path, {});
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
    }
  });

  it("stores a delivery in the inbox (once, even when redelivered), records statuses and notices, and kicks the worker", async () => {
    await connections.upsert({ tenantId: tenant.id, channel: "echo", secrets: { secret: "echo-secret-1" } });
    const body = { messages: [{ id: "m1", chat: "c1", text: "hi" }, { id: "m2", chat: "c2", text: "yo" }], statuses: [{ id: "out-1", status: "delivered" }] };
    expect((await post("/webhooks/echo/demo", body)).status).toBe(200);
    expect(kicked).toEqual([
      { tenantId: tenant.id, channel: "echo", chatId: "c1" },
      { tenantId: tenant.id, channel: "echo", chatId: "c2" },
    ]);
    kicked.length = 0;
    expect((await post("/webhooks/echo/demo", body)).status).toBe(200);
    expect(kicked).toEqual([]);
    const rows = await db.prisma.inboundEvent.findMany({ where: { tenantId: tenant.id, channel: "echo" }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => [r.externalId, r.chatId, r.status])).toEqual([
      ["m1", "c1", "pending"],
      ["m2", "c2", "pending"],
    ]);
    expect(rows[0]?.payload).toMatchObject({ eventId: "m1", event: { kind: "text", text: "hi" } });
    expect(await db.prisma.channelStatusEvent.count({ where: { tenantId: tenant.id } })).toBe(1);
    expect(await db.prisma.channelSubscription.findMany({ where: { tenantId: tenant.id }, select: { userId: true, subscribed: true } })).toEqual([{ userId: "u1", subscribed: true }]);
    expect((await post("/webhooks/echo/demo", body, "wrong-secret")).status).toBe(401);
  });

  it("gives the plugin the salon's welcome and its name as sender", async () => {
    const res = await post("/webhooks/echo/demo", { welcome: true });
    expect(await res.json()).toEqual({ welcome: { text: "Welcome to Chairside Demo Salon (en)" }, sender: "Chairside Demo Salon" });
  });

  it("builds each salon's handler once and rebuilds it when the credentials change; disabled answers 404", async () => {
    await post("/webhooks/echo/demo", {});
    const before = { ...builds };
    await post("/webhooks/echo/demo", {});
    expect(builds).toEqual(before);
    await connections.upsert({ tenantId: tenant.id, channel: "echo", secrets: { secret: "echo-secret-2" } });
    expect((await post("/webhooks/echo/demo", {}, "echo-secret-1")).status).toBe(401);
    expect((await post("/webhooks/echo/demo", {}, "echo-secret-2")).status).toBe(200);
    expect(builds.webhooks).toBe(before.webhooks + 1);
    await connections.disable(tenant.id, "echo");
    expect((await post("/webhooks/echo/demo", {}, "echo-secret-2")).status).toBe(404);
  });

  it("keeps salons apart: another salon's webhook uses its own credentials", async () => {
    const other = await createTestSalon(db.prisma, { slug: "salon-two" });
    await connections.upsert({ tenantId: other.tenantId, channel: "echo", secrets: { secret: "other-secret-9" } });
    expect((await post("/webhooks/echo/salon-two", { messages: [{ id: "m1", chat: "c1", text: "x" }] }, "echo-secret-2")).status).toBe(401);
    expect((await post("/webhooks/echo/salon-two", { messages: [{ id: "m1", chat: "c1", text: "x" }] }, "other-secret-9")).status).toBe(200);
    expect(kicked).toEqual([{ tenantId: other.tenantId, channel: "echo", chatId: "c1" }]);
  });

  it("answers 503 (and logs why) when the stored credentials cannot be decrypted or are incomplete", async () => {
    const third = await createTestSalon(db.prisma, { slug: "salon-three" });
    const wrongKey = new ChannelConnectionsService(db.prisma, SecretBox.fromKey(generateSecretKey()));
    await wrongKey.upsert({ tenantId: third.tenantId, channel: "echo", secrets: { secret: "secret-from-another-key" } });
    const res = await post("/webhooks/echo/salon-three", {});
    expect(res.status).toBe(503);
    expect(JSON.stringify(await res.json())).not.toContain("secret-from");
    expect(log.lines.some((l) => l.level === "error" && JSON.stringify(l.fields).includes("CHAIRSIDE_SECRET_KEY"))).toBe(true);
    await connections.upsert({ tenantId: third.tenantId, channel: "echo", secrets: {} });
    expect((await post("/webhooks/echo/salon-three", {})).status).toBe(503);
  });

  it("validates credentials with the plugin's schema, salon defaults underneath", () => {
    const plugin = echoPlugin({ channels: 0, webhooks: 0 });
    expect(validCredentials(plugin, { name: "Salon", locale: "da", slug: "s" }, { secret: "12345678" })).toEqual({ secret: "12345678", senderName: "Salon" });
    expect(validCredentials(plugin, { name: "Salon", locale: "da", slug: "s" }, { secret: "12345678", senderName: "Own" })).toMatchObject({ senderName: "Own" });
    expect(() => validCredentials(plugin, { name: "Salon", locale: "da", slug: "s" }, {})).toThrow(/The echo credentials of salon "s" are not usable: The echo secret is missing/);
  });

  // Last: a closed hub stays closed.
  it("on close, answers 503 to new webhooks and resolves only once the ones in flight are answered", async () => {
    await connections.upsert({ tenantId: tenant.id, channel: "echo", secrets: { secret: "echo-secret-3" } });
    let release!: () => void;
    builds.release = new Promise<void>((r) => (release = r));
    const held = post("/webhooks/echo/demo", { hold: true, messages: [{ id: "held-1", chat: "c9", text: "late" }] }, "echo-secret-3");
    await expect.poll(() => builds.webhooks).toBeGreaterThan(0);
    // The request is inside the plugin's handler, waiting.
    await new Promise((r) => setTimeout(r, 50));
    let closed = false;
    const closing = hub.close().then(() => (closed = true));
    const refused = await post("/webhooks/echo/demo", { messages: [{ id: "new-1", chat: "c9", text: "new" }] }, "echo-secret-3");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("30");
    expect(await refused.json()).toMatchObject({ error: { code: "unavailable" } });
    expect(closed).toBe(false);
    release();
    expect((await held).status).toBe(200);
    await closing;
    const stored = await db.prisma.inboundEvent.findMany({ where: { tenantId: tenant.id, channel: "echo", chatId: "c9" }, select: { externalId: true } });
    expect(stored).toEqual([{ externalId: "held-1" }]);
  });
});
