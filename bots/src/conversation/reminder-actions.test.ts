/** The conversation's part in notifications (issue 5): STOP from anywhere, the reminder's Confirm button. */
import { createChatStores, createCore, FixedClock, type Core, type TenantView } from "@chairside/core";
import { createTestDatabase, createTestSalon, type TestDatabase } from "@chairside/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryLogger, ScriptedChat } from "../testing/scripted-chat.js";
import { ConversationEngine } from "./engine.js";
import { bookingChoiceId } from "./ids.js";

const NOW = new Date("2030-03-04T09:00:00Z"); // Monday 10:00 in Copenhagen
/** Days after NOW of each test client's booking (the salon is closed on Sundays: +6, +13). */
const DAYS = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 14];

describe("STOP and the reminder's Confirm button (real PostgreSQL)", () => {
  let db: TestDatabase;
  let core: Core;
  let tenant: TenantView;
  let engine: ConversationEngine;
  let salon: Awaited<ReturnType<typeof createTestSalon>>;
  let seq = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    core = createCore(db.prisma, new FixedClock(NOW));
    salon = await createTestSalon(db.prisma, { staffCount: 1 });
    tenant = await core.catalog.getTenant(salon.tenantId);
    engine = new ConversationEngine({ core, stores: createChatStores(db.prisma), log: new MemoryLogger() });
  });
  afterAll(async () => db.drop());

  /** A known client chatting on the test channel, with a confirmed booking on a later day at 10:00. */
  async function clientWithBooking() {
    const chatId = String(5000 + ++seq);
    const client = await db.prisma.client.create({ data: { tenantId: salon.tenantId, name: "Ada", marketingConsent: true } });
    await db.prisma.clientIdentity.create({ data: { tenantId: salon.tenantId, clientId: client.id, channel: "test", externalId: chatId } });
    const booking = await core.bookings.book({
      tenantId: salon.tenantId, serviceId: salon.cutId, staffId: salon.staffIds[0]!, startsAt: new Date(Date.UTC(2030, 2, 4 + DAYS[seq]!, 9)), channel: "admin", clientId: client.id, actor: "staff:desk",
    });
    return { chat: new ScriptedChat(engine, tenant, chatId), clientId: client.id, bookingId: booking.id };
  }

  it("records the client's confirmation from the reminder's button, once", async () => {
    const { chat, bookingId } = await clientWithBooking();
    const reply = await chat.send({ kind: "choice", id: bookingChoiceId("confirm", bookingId) });
    expect(reply[0]?.text).toMatch(/^Thank you for confirming! See you on \w+day \d+ March at 10:00\./);
    await chat.send({ kind: "choice", id: bookingChoiceId("confirm", bookingId) });
    const events = await core.bookings.history({ tenantId: salon.tenantId, bookingId });
    expect(events.filter((e) => e.type === "client_confirmed")).toHaveLength(1);
  });

  it("answers the Confirm button of a cancelled booking honestly", async () => {
    const { chat, bookingId } = await clientWithBooking();
    await core.bookings.cancel({ tenantId: salon.tenantId, bookingId, actor: "staff:desk" });
    const reply = await chat.send({ kind: "choice", id: bookingChoiceId("confirm", bookingId) });
    expect(reply[0]?.text).toContain("That booking is no longer active.");
  });

  it("opts out on STOP and its equivalents, from any step, and says so", async () => {
    for (const word of ["STOP", " stopp ", "Arrêt", "СТОП", "unsubscribe"]) {
      const { chat, clientId, bookingId } = await clientWithBooking();
      await chat.start();
      await chat.press("Book an appointment"); // in the middle of something
      const reply = await chat.text(word);
      expect(reply.map((p) => p.text)).toEqual(["Done: you will get no more reminders or offers from Test Salon. You can still book and manage your appointments here."]);
      expect(await db.prisma.client.findUniqueOrThrow({ where: { id: clientId } })).toMatchObject({ marketingConsent: false, remindersOptOut: true });
      const pending = await db.prisma.outboxMessage.findMany({ where: { bookingId, status: "pending" }, select: { kind: true } });
      expect(pending.map((p) => p.kind), word).toEqual(["confirmation"]);
    }
  });

  it("does not treat a sentence containing 'stop' as an opt-out", async () => {
    const { chat, clientId } = await clientWithBooking();
    await chat.start();
    await chat.text("can I stop by later?");
    expect(await db.prisma.client.findUniqueOrThrow({ where: { id: clientId } })).toMatchObject({ remindersOptOut: false });
  });
});
