/**
 * The template registry (real PostgreSQL): validation with field errors and nothing written, save
 * replaces, delete; and the inbox recording when a client last wrote (the 24-hour window's start).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createChatStores } from "../chat/index.js";
import { FixedClock } from "../clock.js";
import { createCore, type Core } from "../core.js";
import { DomainError } from "../errors.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";
import { createTestSalon, type TestSalon } from "../testing/fixtures.js";
import type { MessageTemplateInput } from "./templates.js";

const NOW = new Date("2030-03-04T09:00:00Z");

/** The field paths of an invalid_input error. */
async function issuesOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe("invalid_input");
    return ((e as DomainError).details as { issues: { path: string }[] }).issues.map((i) => i.path);
  }
  throw new Error("expected invalid_input");
}

describe("message template registry (real PostgreSQL)", () => {
  let db: TestDatabase;
  let core: Core;
  let salon: TestSalon;
  const good: MessageTemplateInput = { kind: "reminder_24h", name: "appointment_reminder", language: "en_US", parameters: ["client_name", "date", "time"] };

  beforeAll(async () => {
    db = await createTestDatabase();
    core = createCore(db.prisma, new FixedClock(NOW));
  });
  afterAll(async () => db.drop());
  beforeEach(async () => {
    salon = await createTestSalon(db.prisma, { staffCount: 1 });
  });

  it("refuses a bad kind, parameter, language or name, naming each field, and writes nothing", async () => {
    const t = salon.tenantId;
    expect(await issuesOf(core.notifications.saveTemplate(t, { ...good, kind: "owner_alert" as never }))).toEqual(["kind"]);
    expect(await issuesOf(core.notifications.saveTemplate(t, { ...good, parameters: ["client_name", "price" as never] }))).toEqual(["parameters.1"]);
    expect(await issuesOf(core.notifications.saveTemplate(t, { ...good, language: "English" }))).toEqual(["language"]);
    expect(await issuesOf(core.notifications.saveTemplate(t, { ...good, name: "Appointment Reminder" }))).toEqual(["name"]);
    expect(await issuesOf(core.notifications.saveTemplate(t, { ...good, quickReplies: ["confirm", "confirm"] }))).toEqual(["quickReplies"]);
    expect(await issuesOf(core.notifications.saveTemplate(t, { ...good, channel: "telegram" as never }))).toEqual(["channel"]);
    expect(await issuesOf(core.notifications.saveTemplate(t, { ...good, parameters: Array(11).fill("salon") }))).toEqual(["parameters"]);
    expect(await db.prisma.messageTemplate.count({ where: { tenantId: t } })).toBe(0);
    expect(await core.notifications.listTemplates(t)).toEqual([]);
  });

  it("saves, replaces and deletes a salon's template per kind; other salons see none of it", async () => {
    const t = salon.tenantId;
    const saved = await core.notifications.saveTemplate(t, good);
    expect(saved).toMatchObject({ tenantId: t, channel: "whatsapp", kind: "reminder_24h", name: "appointment_reminder", language: "en_US", parameters: ["client_name", "date", "time"], quickReplies: [] });
    await core.notifications.saveTemplate(t, { kind: "confirmation", name: "booking_confirmed", language: "da", parameters: ["service", "date", "time", "staff", "salon"] });
    await core.notifications.saveTemplate(t, { ...good, name: "reminder_v2", parameters: ["salon"], quickReplies: ["confirm", "cancel"] });
    const list = await core.notifications.listTemplates(t);
    expect(list.map((x) => [x.kind, x.name, x.parameters, x.quickReplies])).toEqual([
      ["confirmation", "booking_confirmed", ["service", "date", "time", "staff", "salon"], []],
      ["reminder_24h", "reminder_v2", ["salon"], ["confirm", "cancel"]],
    ]);
    const other = await createTestSalon(db.prisma, { staffCount: 1 });
    expect(await core.notifications.listTemplates(other.tenantId)).toEqual([]);
    expect(await core.notifications.deleteTemplate(t, "reminder_24h")).toBe(true);
    expect(await core.notifications.deleteTemplate(t, "reminder_24h")).toBe(false);
    expect((await core.notifications.listTemplates(t)).map((x) => x.kind)).toEqual(["confirmation"]);
  });

  it("throws not_found for an unknown salon and invalid_input for a malformed id", async () => {
    await expect(core.notifications.saveTemplate("00000000-0000-4000-8000-000000000000", good)).rejects.toMatchObject({ code: "not_found" });
    await expect(core.notifications.listTemplates("nope")).rejects.toMatchObject({ code: "invalid_input" });
    await expect(core.notifications.deleteTemplate(salon.tenantId, "nope" as never)).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("records when the client last wrote, with the inbox event that is completed, never backwards", async () => {
    const { inbox } = createChatStores(db.prisma);
    const client = await db.prisma.client.create({ data: { tenantId: salon.tenantId, name: "Ada" } });
    await db.prisma.clientIdentity.create({ data: { tenantId: salon.tenantId, clientId: client.id, channel: "whatsapp", externalId: "4520000001" } });
    const identity = () => db.prisma.clientIdentity.findFirstOrThrow({ where: { tenantId: salon.tenantId, externalId: "4520000001" } });
    const record = (id: string) => inbox.record({ tenantId: salon.tenantId, channel: "whatsapp", messages: [{ externalId: id, chatId: "4520000001", userId: "4520000001", payload: {} }] });
    await record("wamid.1");
    await record("wamid.2");
    expect((await identity()).lastInboundAt).toBeNull();
    await inbox.complete({ tenantId: salon.tenantId, channel: "whatsapp", externalId: "wamid.2" });
    const second = await inbox.get({ tenantId: salon.tenantId, channel: "whatsapp", externalId: "wamid.2" });
    expect((await identity()).lastInboundAt).toEqual(second!.receivedAt);
    // An older event completed later does not move it back.
    await db.prisma.inboundEvent.updateMany({ where: { externalId: "wamid.1" }, data: { receivedAt: new Date(second!.receivedAt.getTime() - 60_000) } });
    await inbox.complete({ tenantId: salon.tenantId, channel: "whatsapp", externalId: "wamid.1" });
    expect((await identity()).lastInboundAt).toEqual(second!.receivedAt);
  });
});
