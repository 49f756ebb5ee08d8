/**
 * One client on several messengers (issue 4 §5): identities are linked by a phone the messenger
 * vouches for (Telegram's own shared contact, WhatsApp's wa_id, Viber's shared phone), never by a
 * typed one.
 */
import { createChatStores, createCore, FixedClock, seedDemoSalon, type Core, type TenantView } from "@chairside/core";
import { createTestDatabase, type TestDatabase } from "@chairside/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryLogger } from "../testing/scripted-chat.js";
import { ConversationEngine } from "./engine.js";
import type { Choice, ConversationEvent, Profile, Prompt } from "./types.js";

// Monday 2030-03-04 08:00 in Copenhagen.
const NOW = new Date("2030-03-04T07:00:00Z");
const PHONE = "+4520123456";

describe("identity across messengers (real PostgreSQL, demo salon)", () => {
  let db: TestDatabase;
  let core: Core;
  let tenant: TenantView;
  let engine: ConversationEngine;

  beforeAll(async () => {
    db = await createTestDatabase();
    core = createCore(db.prisma, new FixedClock(NOW));
    tenant = (await seedDemoSalon(db.prisma))!;
    engine = new ConversationEngine({ core, stores: createChatStores(db.prisma), log: new MemoryLogger() });
  });
  afterAll(async () => db.drop());

  /** A client on one channel; `last` holds the latest reply. */
  function client(channel: string, userId: string, profile: Profile) {
    let last: Prompt[] = [];
    const send = async (event: ConversationEvent) => (last = await engine.handle({ tenant, channel, chatId: userId, userId, profile, event }));
    const choice = (match: (c: Choice) => boolean) => {
      const found = last.flatMap((p) => p.choices ?? []).find(match);
      if (!found) throw new Error(`No such choice in ${JSON.stringify(last.map((p) => p.text))}`);
      return found;
    };
    return {
      send,
      press: (label: string | ((c: Choice) => boolean)) => send({ kind: "choice", id: choice(typeof label === "string" ? (c) => c.label === label : label).id }),
      get texts() {
        return last.map((p) => p.text);
      },
      /** Book, Men's haircut, Anyone, today, the first time. */
      async toFirstTime() {
        await send({ kind: "start" });
        await this.press("Book an appointment");
        await this.press((c) => c.label.startsWith("Men's haircut"));
        await this.press("Anyone available");
        await this.press("Today");
        return this.press((c) => /^\d\d:\d\d$/.test(c.label));
      },
    };
  }

  it("Telegram shared contact, then WhatsApp with that phone: same client, sees the booking, never asked for the phone", async () => {
    const telegram = client("telegram", "5001", { name: "Ada", languageCode: "en" });
    await telegram.toFirstTime();
    expect(telegram.texts[0]).toMatch(/^To book, we need your phone number/);
    await telegram.send({ kind: "contact", phone: PHONE, name: "Ada Lovelace", verified: true });
    await telegram.press("Confirm");
    expect(telegram.texts[0]).toMatch(/^You're booked!/);

    // WhatsApp: the wa_id vouches for the same phone.
    const whatsapp = client("whatsapp", "4520123456", { name: "Ada L", verifiedPhone: PHONE });
    await whatsapp.send({ kind: "text", text: "hi" });
    await whatsapp.press("My bookings");
    expect(whatsapp.texts[0]).toMatch(/^Your upcoming bookings:\n\nMen's haircut/);
    const identities = await db.prisma.clientIdentity.findMany({ where: { tenantId: tenant.id, externalId: { in: ["5001", "4520123456"] } } });
    expect(new Set(identities.map((i) => i.clientId)).size).toBe(1);

    // Booking again on WhatsApp goes from the time straight to the confirmation.
    const next = await whatsapp.toFirstTime();
    expect(next[0]?.text).toMatch(/^Please confirm your booking:/);
    expect(next.some((p) => p.requestContact)).toBe(false);
  });

  it("someone typing that phone on Viber gets a client of their own and does not see the booking", async () => {
    const viber = client("viber", "viber-eve", { name: "Eve" });
    await viber.toFirstTime();
    expect(viber.texts[0]).toMatch(/^To book, we need your phone number/);
    await viber.send({ kind: "text", text: "+45 20 12 34 56" });
    expect(viber.texts[0]).toBe(`Thanks! We'll use ${PHONE}.`);
    await viber.send({ kind: "text", text: "Eve" });
    await viber.send({ kind: "text", text: "menu" });
    await viber.press("My bookings");
    expect(viber.texts).toEqual(["You have no upcoming bookings."]);
    const eve = await core.clients.findByIdentity({ tenantId: tenant.id, channel: "viber", externalId: "viber-eve" });
    const ada = await core.clients.findByIdentity({ tenantId: tenant.id, channel: "telegram", externalId: "5001" });
    expect(eve).toMatchObject({ phone: PHONE, phoneVerified: false });
    expect(eve?.id).not.toBe(ada?.id);
  });

  it("a client identified by a vouched phone while at the contact step is not asked again", async () => {
    const first = client("viber", "viber-bob", { name: "Bob" });
    await first.toFirstTime();
    expect(first.texts[0]).toMatch(/^To book, we need your phone number/);
    // Viber's share-phone button: the phone now comes vouched for.
    const shared = client("viber", "viber-bob", { name: "Bob", verifiedPhone: "+4520998877" });
    await shared.send({ kind: "text", text: "hello?" });
    expect(shared.texts.join("\n")).toMatch(/Please confirm your booking:/);
    await shared.press("Confirm");
    expect(shared.texts[0]).toMatch(/^You're booked!/);
  });

  it("Viber's shared phone (verified) links to the same client", async () => {
    const viber = client("viber", "viber-ada", { name: "Ada", verifiedPhone: PHONE });
    await viber.send({ kind: "start" });
    await viber.press("My bookings");
    expect(viber.texts[0]).toMatch(/^Your upcoming bookings:/);
  });
});
