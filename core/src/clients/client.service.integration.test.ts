import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore, type Core } from "../core.js";
import { createTestSalon, type TestSalon } from "../testing/fixtures.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";
import { parsePhone } from "./phone.js";

describe("parsePhone", () => {
  it("normalises local and international forms to E.164", () => {
    expect(parsePhone("20 12 34 56", "DK")).toBe("+4520123456");
    expect(parsePhone("+45 20 12 34 56", "DK")).toBe("+4520123456");
    expect(parsePhone("0045 20123456", "DK")).toBe("+4520123456");
    expect(parsePhone("+1 (212) 555-0123", "DK")).toBe("+12125550123");
  });
  it("refuses what is not a phone number, with an example of the salon's country", () => {
    for (const bad of ["hello", "123", "", "+45 1"]) {
      expect(() => parsePhone(bad, "DK")).toThrowError(expect.objectContaining({ code: "invalid_phone", details: { example: expect.stringMatching(/^\+45 /) } }));
    }
  });
});

describe("ClientService (real PostgreSQL)", () => {
  let db: TestDatabase;
  let core: Core;
  let salon: TestSalon;
  beforeAll(async () => {
    db = await createTestDatabase();
    core = createCore(db.prisma);
    salon = await createTestSalon(db.prisma);
  });
  afterAll(async () => db.drop());

  it("links two messengers of one person by a verified phone", async () => {
    const a = await core.clients.identifyWithVerifiedPhone({ tenantId: salon.tenantId, channel: "telegram", externalId: "111", phone: "+45 20 11 11 11", name: "Ida" });
    const b = await core.clients.identifyWithVerifiedPhone({ tenantId: salon.tenantId, channel: "whatsapp", externalId: "4520111111", phone: "4520111111", name: "Ida W" });
    expect(b.id).toBe(a.id);
    expect(await core.clients.findByIdentity({ tenantId: salon.tenantId, channel: "telegram", externalId: "111" })).toMatchObject({ id: a.id, phone: "+4520111111", phoneVerified: true });
  });

  it("never links by a typed phone: someone typing Ida's number gets a client of their own", async () => {
    const ida = await core.clients.identifyWithVerifiedPhone({ tenantId: salon.tenantId, channel: "telegram", externalId: "222", phone: "+4520222222", name: "Ida" });
    const impostor = await core.clients.registerWithTypedPhone({ tenantId: salon.tenantId, channel: "telegram", externalId: "999", phone: "20 22 22 22", name: "Not Ida" });
    expect(impostor.id).not.toBe(ida.id);
    expect(impostor).toMatchObject({ phone: "+4520222222", phoneVerified: false });
  });

  it("refuses a bad phone and writes nothing", async () => {
    const before = await db.prisma.client.count();
    await expect(
      core.clients.registerWithTypedPhone({ tenantId: salon.tenantId, channel: "telegram", externalId: "333", phone: "call me", name: "X" }),
    ).rejects.toMatchObject({ code: "invalid_phone" });
    expect(await db.prisma.client.count()).toBe(before);
    expect(await core.clients.findByIdentity({ tenantId: salon.tenantId, channel: "telegram", externalId: "333" })).toBeNull();
  });
});
