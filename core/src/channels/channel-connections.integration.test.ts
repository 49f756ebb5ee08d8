import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestSalon } from "../testing/fixtures.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";
import { ChannelConnectionsService } from "./channel-connections.service.js";
import { generateSecretKey, SecretBox } from "./secret-box.js";

describe("ChannelConnectionsService (real PostgreSQL)", () => {
  let db: TestDatabase;
  let service: ChannelConnectionsService;
  let tenantId: string;
  let otherTenantId: string;
  const key = generateSecretKey();

  beforeAll(async () => {
    db = await createTestDatabase();
    service = new ChannelConnectionsService(db.prisma, SecretBox.fromKey(key));
    tenantId = (await createTestSalon(db.prisma)).tenantId;
    otherTenantId = (await createTestSalon(db.prisma)).tenantId;
  });
  afterAll(async () => db.drop());

  const whatsapp = {
    config: { phoneNumberId: "106540352242922", graphUrl: "https://graph.facebook.com/v23.0" },
    secrets: { accessToken: "EAAG-access-token", appSecret: "app-secret-123", verifyToken: "verify-me" },
  };

  it("stores secrets encrypted and returns them decrypted only through getCredentials", async () => {
    const view = await service.upsert({ tenantId, channel: "whatsapp", ...whatsapp });
    expect(view).toMatchObject({ channel: "whatsapp", enabled: true, config: whatsapp.config, secretNames: ["accessToken", "appSecret", "verifyToken"] });
    expect(JSON.stringify(view)).not.toContain("EAAG");
    const row = await db.prisma.channelConnection.findFirstOrThrow({ where: { tenantId, channel: "whatsapp" } });
    expect(row.secrets).not.toContain("EAAG");
    expect(Buffer.from(row.secrets, "base64").toString("latin1")).not.toContain("app-secret");
    const full = await service.getCredentials(tenantId, "whatsapp");
    expect(full?.credentials).toEqual({ ...whatsapp.config, ...whatsapp.secrets });
    expect(await service.list(tenantId)).toEqual([expect.objectContaining({ channel: "whatsapp", secretNames: ["accessToken", "appSecret", "verifyToken"] })]);
  });

  it("replaces on upsert, bumps updatedAt, keeps salons apart, and disables", async () => {
    const before = (await service.version(tenantId, "whatsapp"))!;
    await service.upsert({ tenantId, channel: "whatsapp", config: whatsapp.config, secrets: { ...whatsapp.secrets, accessToken: "EAAG-new" } });
    const after = (await service.version(tenantId, "whatsapp"))!;
    expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
    expect((await service.getCredentials(tenantId, "whatsapp"))?.credentials.accessToken).toBe("EAAG-new");
    expect(await service.getCredentials(otherTenantId, "whatsapp")).toBeNull();
    await service.disable(tenantId, "whatsapp");
    expect(await service.get(tenantId, "whatsapp")).toMatchObject({ enabled: false });
    expect((await service.listEnabledCredentials()).filter((c) => c.ok && c.value.tenantId === tenantId)).toEqual([]);
  });

  it("enables a disabled connection with the credentials it kept; idempotent; not_found without one", async () => {
    await service.disable(tenantId, "whatsapp");
    const disabledAt = (await service.version(tenantId, "whatsapp"))!.updatedAt;
    await service.enable(tenantId, "whatsapp");
    await service.enable(tenantId, "whatsapp");
    const after = (await service.getCredentials(tenantId, "whatsapp"))!;
    expect(after).toMatchObject({ enabled: true, credentials: { accessToken: "EAAG-new", appSecret: "app-secret-123" } });
    expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(disabledAt.getTime());
    await expect(service.enable(otherTenantId, "whatsapp")).rejects.toMatchObject({ code: "not_found" });
    await service.disable(tenantId, "whatsapp");
  });

  it("a row copied to another salon cannot be decrypted there (bound to salon and channel)", async () => {
    await service.upsert({ tenantId, channel: "viber", secrets: { authToken: "viber-token" } });
    const row = await db.prisma.channelConnection.findFirstOrThrow({ where: { tenantId, channel: "viber" } });
    await db.prisma.channelConnection.create({ data: { tenantId: otherTenantId, channel: "viber", secrets: row.secrets } });
    await expect(service.getCredentials(otherTenantId, "viber")).rejects.toMatchObject({ code: "config_invalid" });
  });

  it("with the wrong key: a clear error naming CHAIRSIDE_SECRET_KEY, the other rows still listed", async () => {
    const wrong = new ChannelConnectionsService(db.prisma, SecretBox.fromKey(generateSecretKey()));
    await expect(wrong.getCredentials(tenantId, "viber")).rejects.toThrow(/CHAIRSIDE_SECRET_KEY/);
    const listed = await wrong.listEnabledCredentials();
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((c) => !c.ok && /CHAIRSIDE_SECRET_KEY/.test(c.error.message))).toBe(true);
    expect((await wrong.get(tenantId, "viber"))?.secretNames).toEqual([]);
  });

  it("refuses bad input and unknown salons", async () => {
    await expect(service.upsert({ tenantId, channel: "Not A Channel", secrets: {} })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(service.upsert({ tenantId: "00000000-0000-4000-8000-000000000000", channel: "viber", secrets: {} })).rejects.toMatchObject({ code: "not_found" });
  });
});
