import { ChannelConnectionsService, createCore, generateSecretKey, SecretBox, seedDemoSalon, type Core, type TenantView } from "@chairside/core";
import { createTestDatabase, createTestSalon, type TestDatabase } from "@chairside/core/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MemoryLogger } from "../testing/scripted-chat.js";
import { ChannelPlatform, type EnvironmentChannels } from "./platform.js";

const WHATSAPP = {
  phoneNumberId: "106540352242922",
  accessToken: "EAAG-test-access-token-0123456789",
  appSecret: "app-secret-0123456789",
  verifyToken: "verify-token-0123",
  graphUrl: "https://graph.facebook.com/v23.0",
};
const VIBER = { authToken: "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9", apiUrl: "https://chatapi.viber.test/pa" };

describe("ChannelPlatform: environment → first salon, start-up lines (real PostgreSQL)", () => {
  let db: TestDatabase;
  let core: Core;
  let tenant: TenantView;
  let connections: ChannelConnectionsService;
  let platform: ChannelPlatform | undefined;
  const viberCalls: { url: string; body: unknown; token: string | null }[] = [];

  /** Viber's REST API as far as set_webhook goes. */
  const fakeFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    viberCalls.push({ url: String(input), body: JSON.parse(String(init?.body ?? "null")), token: headers.get("x-viber-auth-token") });
    return new Response(JSON.stringify({ status: 0, status_message: "ok", event_types: ["delivered", "seen"] }), { headers: { "content-type": "application/json" } });
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    core = createCore(db.prisma);
    tenant = (await seedDemoSalon(db.prisma))!;
    connections = new ChannelConnectionsService(db.prisma, SecretBox.fromKey(generateSecretKey()));
  });
  afterAll(async () => db.drop());
  afterEach(async () => {
    await platform?.stop();
    platform = undefined;
  });

  const env = (over: Partial<EnvironmentChannels> = {}): EnvironmentChannels => ({ telegram: null, whatsapp: WHATSAPP, viber: VIBER, ...over });

  it("writes the environment's credentials into the first salon's connections, encrypted, and the environment wins", async () => {
    await connections.upsert({ tenantId: tenant.id, channel: "whatsapp", config: { phoneNumberId: "1111111" }, secrets: { accessToken: "stored-old-token-xxxxxxxx" } });
    platform = new ChannelPlatform({ core, connections, publicUrl: "https://salon.example", log: new MemoryLogger() });
    await platform.applyEnvironment(tenant, env());
    const whatsapp = await connections.getCredentials(tenant.id, "whatsapp");
    expect(whatsapp).toMatchObject({ enabled: true, config: { phoneNumberId: WHATSAPP.phoneNumberId, graphUrl: WHATSAPP.graphUrl } });
    expect(whatsapp?.credentials).toEqual(WHATSAPP);
    expect(whatsapp?.secretNames.sort()).toEqual(["accessToken", "appSecret", "verifyToken"]);
    expect((await connections.getCredentials(tenant.id, "viber"))?.credentials).toEqual(VIBER);
    const rows = JSON.stringify(await db.prisma.channelConnection.findMany());
    for (const secret of [WHATSAPP.accessToken, WHATSAPP.appSecret, WHATSAPP.verifyToken, VIBER.authToken]) expect(rows).not.toContain(secret);
  });

  it("prints each channel's webhook URL, registers Viber's, and says what is off and why", async () => {
    viberCalls.length = 0;
    const other = await createTestSalon(db.prisma, { slug: "north" });
    // Another salon's WhatsApp, stored under a different key: it cannot start, the others do.
    await new ChannelConnectionsService(db.prisma, SecretBox.fromKey(generateSecretKey())).upsert({ tenantId: other.tenantId, channel: "whatsapp", config: {}, secrets: { accessToken: "x" } });
    const log = new MemoryLogger();
    platform = new ChannelPlatform({ core, connections, publicUrl: "https://salon.example", databaseUrl: db.url, log, fetch: fakeFetch });
    await platform.applyEnvironment(tenant, env());
    const lines = await platform.start(tenant);
    expect(lines.map((l) => [l.label, l.salon, l.text])).toEqual([
      ["Telegram", "demo", "off. TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather, then paste the token in Settings → Channels (or put it in .env and restart)."],
      ["WhatsApp", "demo", "webhook https://salon.example/webhooks/whatsapp/demo (set this URL and the verify token in Meta's app dashboard: WhatsApp → Configuration)"],
      ["Viber", "demo", "webhook https://salon.example/webhooks/viber/demo (registered with Viber)"],
      // No web chat connection here (main.ts creates one for every salon at start).
      ["Web chat", "demo", "off. web chat is turned off for this salon (it needs no credentials)."],
      ["WhatsApp", "north", expect.stringMatching(/^NOT running: Could not decrypt .*CHAIRSIDE_SECRET_KEY/)],
    ]);
    expect(viberCalls).toEqual([
      { url: "https://chatapi.viber.test/pa/set_webhook", body: expect.objectContaining({ url: "https://salon.example/webhooks/viber/demo" }), token: VIBER.authToken },
    ]);
    expect(JSON.stringify(log.lines)).not.toContain(VIBER.authToken);
  });

  it("without PUBLIC_URL a webhook-only channel stored for a salon says it cannot run", async () => {
    platform = new ChannelPlatform({ core, connections, publicUrl: null, log: new MemoryLogger(), fetch: fakeFetch });
    const lines = await platform.start(tenant);
    expect(lines.find((l) => l.channel === "whatsapp" && l.salon === "demo")?.text).toBe("NOT running: WhatsApp needs PUBLIC_URL (it only delivers to a webhook).");
    expect(lines.find((l) => l.channel === "viber" && l.salon === "demo")?.text).toMatch(/^NOT running: Viber needs PUBLIC_URL/);
  });
});
