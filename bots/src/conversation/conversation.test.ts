import { createChatStores, createCore, FixedClock, seedDemoSalon, type Core, type TenantView } from "@chairside/core";
import { createTestDatabase, type TestDatabase } from "@chairside/core/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MemoryLogger, ScriptedChat } from "../testing/scripted-chat.js";
import { ConversationEngine } from "./engine.js";
import type { Choice } from "./types.js";

// Monday 2030-03-04 08:00 in Copenhagen (07:00Z). The demo salon needs 60 min notice: 09:00 is the first bookable time.
const NOW = new Date("2030-03-04T07:00:00Z");
const MENS_CUT = (c: Choice) => c.label.startsWith("Men's haircut");
const isDay = (c: Choice) => c.id.includes(":day:");
const isTime = (c: Choice) => c.id.includes(":t:");

describe("client conversation (real PostgreSQL, demo salon)", () => {
  let db: TestDatabase;
  let core: Core;
  let clock: FixedClock;
  let tenant: TenantView;
  let engine: ConversationEngine;
  let log: MemoryLogger;
  let chatSeq = 0;

  const newChat = (profile = { name: "Ada", languageCode: "en" }) => new ScriptedChat(engine, tenant, String(1000 + ++chatSeq), profile);
  const bookingsOf = (chatId: string) =>
    db.prisma.booking.findMany({
      where: { client: { identities: { some: { channel: "test", externalId: chatId } } } },
      orderBy: { createdAt: "asc" },
    });

  /** From the menu to the time list of the first free day, for a men's haircut with anyone. */
  async function toTimes(chat: ScriptedChat) {
    await chat.start();
    await chat.press("Book an appointment");
    await chat.press(MENS_CUT);
    await chat.press("Anyone available");
    await chat.press(isDay);
  }

  /** A complete first booking (first free time today) with a shared (verified) contact; returns the time label. */
  async function bookWithContact(chat: ScriptedChat): Promise<string> {
    await toTimes(chat);
    const time = chat.find(isTime).label;
    await chat.press(time);
    await chat.send({ kind: "contact", phone: `+45 20 ${chat.chatId.slice(0, 2)} ${chat.chatId.slice(2)} 00`, name: "Ada Lovelace", verified: true });
    await chat.press("Confirm");
    return time;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    clock = new FixedClock(NOW);
    core = createCore(db.prisma, clock);
    const seeded = await seedDemoSalon(db.prisma);
    if (!seeded) throw new Error("demo salon not seeded");
    tenant = seeded;
  });
  afterAll(async () => db.drop());
  beforeEach(() => {
    clock.set(NOW);
    log = new MemoryLogger();
    engine = new ConversationEngine({ core, stores: createChatStores(db.prisma), log });
  });

  it("books: service, anyone, day, time, shared contact, confirm", async () => {
    const chat = newChat();
    const welcome = await chat.start();
    expect(welcome[0]?.text).toContain("Welcome to Chairside Demo Salon");
    const services = await chat.press("Book an appointment");
    expect(services[0]?.choices?.filter((c) => !c.nav).map((c) => c.label.replace(/\u00a0/g, " "))).toEqual([
      "Women's haircut · 60 min · DKK 450.00",
      "Men's haircut · 30 min · DKK 300.00",
      "Colour · 90 min · DKK 900.00",
      "Beard trim · 20 min · DKK 150.00",
    ]);
    const staff = await chat.press(MENS_CUT);
    expect(staff[0]?.choices?.map((c) => c.label)).toEqual(["Anyone available", "Anna", "Ben", "Clara", "« Back", "Menu"]);
    const days = await chat.press("Anyone available");
    const dayChoices = days[0]!.choices!.filter(isDay);
    expect(dayChoices).toHaveLength(7);
    expect(dayChoices.slice(0, 3).map((c) => c.label)).toEqual(["Today", "Tomorrow", "Wed 6 Mar"]);
    expect(days[0]!.choices!.map((c) => c.label)).toContain("Later »");
    const times = await chat.press("Today");
    expect(times[0]?.text).toBe("Free times for Men's haircut on Monday 4 March:");
    expect(times[0]?.choices?.filter(isTime)[0]?.label).toBe("09:00");

    const contact = await chat.press("09:00");
    expect(contact[0]?.requestContact).toEqual({ label: "Share my phone number" });
    const confirm = await chat.send({ kind: "contact", phone: "+45 20 12 34 56", name: "Ada Lovelace", verified: true });
    expect(confirm[0]).toMatchObject({ text: "Thanks, Ada Lovelace!", removeKeyboard: true });
    expect(confirm[1]?.text.replace(/\u00a0/g, " ")).toMatch(/^Please confirm your booking:\nMen's haircut with (Anna|Ben|Clara)\nMonday 4 March at 09:00\nPrice: DKK 300.00$/);

    const done = await chat.press("Confirm");
    expect(done[0]?.text).toMatch(/^You're booked! Men's haircut with (Anna|Ben|Clara) on Monday 4 March at 09:00\. See you then!$/);
    expect(done[0]?.choices?.map((c) => c.label)).toEqual(["Book an appointment", "My bookings"]);

    const bookings = await bookingsOf(chat.chatId);
    expect(bookings).toHaveLength(1);
    expect(bookings[0]).toMatchObject({ status: "confirmed", startsAt: new Date("2030-03-04T08:00:00Z"), channel: "test" });
    const client = await db.prisma.client.findFirstOrThrow({ where: { id: bookings[0]!.clientId! } });
    expect(client).toMatchObject({ name: "Ada Lovelace", phone: "+4520123456", phoneVerified: true });
    const state = await db.prisma.conversationState.findFirstOrThrow({ where: { channel: "test", chatId: chat.chatId } });
    expect(state.state).toEqual({ step: "menu" });
  });

  it("a known client goes straight from the time to the confirmation", async () => {
    const chat = newChat();
    await bookWithContact(chat);
    await toTimes(chat);
    const confirm = await chat.press((c) => isTime(c) && c.label === "10:00");
    expect(confirm[0]?.text).toContain("Please confirm your booking:");
    await chat.press("Confirm");
    expect(await bookingsOf(chat.chatId)).toHaveLength(2);
  });

  it("refuses a phone number that does not parse, with an example, then asks for the name", async () => {
    const chat = newChat({ name: "Bo", languageCode: "en" });
    await toTimes(chat);
    await chat.press(isTime);
    const bad = await chat.text("call me maybe");
    expect(bad[0]?.text).toMatch(/^That doesn't look like a phone number\. Example: \+45 [\d ]+\n\n/);
    expect(bad[0]?.requestContact).toBeDefined();
    const name = await chat.text("20 98 76 54");
    expect(name[0]).toMatchObject({ text: "Thanks! We'll use +4520987654.", removeKeyboard: true });
    expect(name[1]?.choices?.[0]?.label).toBe("Bo");
    const badName = await chat.text("1234");
    expect(badName[0]?.text).toContain("Please type your name");
    const confirm = await chat.text("Bo Jensen");
    expect(confirm[0]?.text).toMatch(/^Thanks, Bo Jensen!\n\nPlease confirm your booking:/);
    await chat.press("Confirm");
    const [booking] = await bookingsOf(chat.chatId);
    const client = await db.prisma.client.findFirstOrThrow({ where: { id: booking!.clientId! } });
    expect(client).toMatchObject({ name: "Bo Jensen", phone: "+4520987654", phoneVerified: false });
  });

  it("someone else's contact counts as a typed number", async () => {
    const chat = newChat({ name: "Cy", languageCode: "en" });
    await toTimes(chat);
    await chat.press(isTime);
    const reply = await chat.send({ kind: "contact", phone: "+4520111222", name: "Not Me", verified: false });
    expect(reply[1]?.text).toContain("What name should we put the booking under?");
    await chat.press("Cy");
    await chat.press("Confirm");
    const [booking] = await bookingsOf(chat.chatId);
    expect(await db.prisma.client.findFirstOrThrow({ where: { id: booking!.clientId! } })).toMatchObject({ name: "Cy", phoneVerified: false });
  });

  it("lists, reschedules and cancels bookings", async () => {
    const chat = newChat();
    const time = await bookWithContact(chat);
    const list = await chat.press("My bookings");
    expect(list[0]?.text).toMatch(new RegExp(`^Your upcoming bookings:\n\nMen's haircut with \\w+\nMonday 4 March at ${time}$`));
    expect(list[0]?.choices?.map((c) => c.label)).toEqual(["Reschedule", "Cancel"]);

    await chat.press("Reschedule");
    await chat.press("Tomorrow");
    const confirm = await chat.press("14:00");
    expect(confirm[0]?.text).toMatch(new RegExp(`^Move Men's haircut with \\w+\nfrom Monday 4 March at ${time}\nto Tuesday 5 March at 14:00\\?$`));
    const moved = await chat.press("Yes, move it");
    expect(moved[0]?.text).toMatch(/^Done! Men's haircut with \w+ is now on Tuesday 5 March at 14:00\./);
    const [booking] = await bookingsOf(chat.chatId);
    expect(booking).toMatchObject({ status: "confirmed", startsAt: new Date("2030-03-05T13:00:00Z") });
    const events = await db.prisma.bookingEvent.findMany({ where: { bookingId: booking!.id, type: "rescheduled" } });
    expect(events).toHaveLength(1);

    await chat.press("My bookings");
    const ask = await chat.press("Cancel");
    expect(ask[0]?.text).toMatch(/^Cancel Men's haircut with \w+ on Tuesday 5 March at 14:00\?$/);
    const cancelled = await chat.press("Yes, cancel it");
    expect(cancelled[0]?.text).toMatch(/^Your booking for Men's haircut on Tuesday 5 March at 14:00 is cancelled\./);
    expect((await bookingsOf(chat.chatId))[0]?.status).toBe("cancelled");
    const empty = await chat.press("My bookings");
    expect(empty[0]?.text).toBe("You have no upcoming bookings.");
  });

  it("offers the alternatives at once when the time was just taken", async () => {
    const chat = newChat();
    await chat.start();
    await chat.press("Book an appointment");
    await chat.press(MENS_CUT);
    await chat.press("Ben"); // Ben starts at 11:00 on Tuesdays
    const times = await chat.press("Tomorrow");
    expect(times[0]?.choices?.find(isTime)?.label).toBe("11:00");
    // Someone else books Ben at 11:00 meanwhile.
    const otherClient = await db.prisma.client.create({ data: { tenantId: tenant.id, name: "Other" } });
    const ben = await db.prisma.staff.findFirstOrThrow({ where: { tenantId: tenant.id, name: "Ben" } });
    const service = await db.prisma.service.findFirstOrThrow({ where: { tenantId: tenant.id, name: "Men's haircut" } });
    await core.bookings.book({
      tenantId: tenant.id, serviceId: service.id, staffId: ben.id, startsAt: new Date("2030-03-05T10:00:00Z"),
      channel: "admin", clientId: otherClient.id, actor: "staff:test",
    });
    const taken = await chat.press("11:00");
    expect(taken[0]?.text).toBe("Sorry, 11:00 was just taken.\n\nThese times are free:");
    const labels = taken[0]!.choices!.filter(isTime).map((c) => c.label);
    expect(labels.length).toBeGreaterThan(0);
    expect(labels).not.toContain("11:00");
    const contact = await chat.press(isTime);
    expect(contact[0]?.requestContact).toBeDefined();
    const holds = await db.prisma.booking.findMany({ where: { tenantId: tenant.id, status: "held", startsAt: { gte: new Date("2030-03-05T00:00:00Z") } } });
    expect(holds).toHaveLength(1);
    expect(holds[0]?.staffId).toBe(ben.id);
  });

  it("answers a stale button honestly and shows where the chat stands", async () => {
    const chat = newChat();
    await chat.start();
    await chat.press("Book an appointment");
    await chat.press(MENS_CUT);
    const days = await chat.press("Anyone available");
    await chat.press("Today");
    const stale = await chat.press("Tomorrow", days);
    expect(stale[0]?.text).toBe("That button is from an earlier message. Here is where we are now:\n\nFree times for Men's haircut on Monday 4 March:");
    expect(stale[0]?.choices?.find(isTime)).toBeDefined();
    // The fresh buttons work.
    const contact = await chat.press(isTime);
    expect(contact[0]?.requestContact).toBeDefined();
    // A button that is not ours at all.
    const forged = await chat.send({ kind: "choice", id: "s:1:svc:'; DROP TABLE" });
    expect(forged[0]?.text).toMatch(/^That button is from an earlier message\./);
  });

  it("global buttons work from any old message; a cancelled booking's button is answered honestly", async () => {
    const chat = newChat();
    await bookWithContact(chat);
    const list = await chat.press("My bookings");
    const bookingId = (await bookingsOf(chat.chatId))[0]!.id;
    await core.bookings.cancel({ tenantId: tenant.id, bookingId, actor: "staff:test" });
    const gone = await chat.press("Cancel", list);
    expect(gone[0]?.text).toBe("That booking is no longer active.\n\nWhat would you like to do?");
    const again = await chat.press("Reschedule", list);
    expect(again[0]?.text).toMatch(/^That booking is no longer active\./);
    const book = await chat.press("Book an appointment", list);
    expect(book[0]?.text).toBe("Which service would you like?");
  });

  it("answers text it does not understand with a short help and the buttons; numbers and labels pick options", async () => {
    const chat = newChat();
    await chat.start();
    const help = await chat.text("hello?");
    expect(help[0]?.text).toBe(
      "Sorry, I didn't understand that. Please tap one of the buttons, or type the number of an option.\n\nWhat would you like to do?",
    );
    expect(help[0]?.choices?.map((c) => c.label)).toEqual(["Book an appointment", "My bookings"]);
    const services = await chat.text("1");
    expect(services[0]?.text).toBe("Which service would you like?");
    const staff = await chat.text("2");
    expect(staff[0]?.text).toBe("Who would you like for Men's haircut?");
    const days = await chat.text("anyone available");
    expect(days[0]?.text).toBe("Which day suits you for Men's haircut?");
    const back = await chat.text("back");
    expect(back[0]?.text).toBe("Who would you like for Men's haircut?");
    const menu = await chat.text("Menu");
    expect(menu[0]?.text).toBe("What would you like to do?");
    const unsupported = await chat.send({ kind: "unsupported" });
    expect(unsupported[0]?.text).toMatch(/^Sorry, I can only read text messages and the buttons\.\n\nWhat would you like to do\?/);
    const contact = await chat.send({ kind: "contact", phone: "+4520000000", name: "X", verified: true });
    expect(contact[0]?.text).toMatch(/^Sorry, I didn't understand that\./);
  });

  it("releases the hold when the client goes back or starts over", async () => {
    const chat = newChat();
    await toTimes(chat);
    await chat.press(isTime);
    const back = await chat.text("« Back"); // what the reply keyboard's Back button sends
    expect(back[0]).toMatchObject({ text: "No problem, you can share your number later.", removeKeyboard: true });
    expect(back[1]?.text).toContain("Free times for Men's haircut");
    await chat.press(isTime);
    await chat.start();
    const rows = await db.prisma.booking.findMany({ where: { tenantId: tenant.id, channel: "test", clientId: null }, orderBy: { createdAt: "desc" }, take: 2 });
    expect(rows.map((b) => b.status)).toEqual(["expired", "expired"]);
  });

  it("keeps the conversation across a restart (a new engine on the same database)", async () => {
    const chat = newChat();
    await toTimes(chat);
    const times = chat.last;
    engine = new ConversationEngine({ core, stores: createChatStores(db.prisma), log });
    const restarted = new ScriptedChat(engine, tenant, chat.chatId);
    const contact = await restarted.press(isTime, times);
    expect(contact[0]?.requestContact).toBeDefined();
  });

  it("speaks Danish to a Danish client", async () => {
    const chat = newChat({ name: "Dorte", languageCode: "da" });
    const welcome = await chat.start();
    expect(welcome[0]?.text).toBe("Hej! Velkommen til Chairside Demo Salon. Hvad vil du gerne?");
    await chat.press("Book en tid");
    await chat.press((c) => c.label.startsWith("Men's haircut"));
    const days = await chat.press("Hvem som helst");
    const times = await chat.press("I dag", days);
    expect(times[0]?.text).toBe("Ledige tider til Men's haircut mandag den 4. marts:");
    expect(days[0]!.choices!.filter(isDay).map((c) => c.label).slice(0, 3)).toEqual(["I dag", "I morgen", "ons. 6. mar."]);
  });

  it("answers with an apology and keeps the state when something breaks", async () => {
    const chat = newChat();
    await toTimes(chat);
    const broken = { ...core, bookings: Object.create(core.bookings) as Core["bookings"] };
    broken.bookings.hold = async () => {
      throw new Error("database on fire");
    };
    engine = new ConversationEngine({ core: broken, stores: createChatStores(db.prisma), log });
    const before = await db.prisma.conversationState.findFirstOrThrow({ where: { channel: "test", chatId: chat.chatId } });
    const heldBefore = await db.prisma.booking.count({ where: { tenantId: tenant.id, status: "held" } });
    const sorry = await new ScriptedChat(engine, tenant, chat.chatId).press(isTime, chat.last);
    expect(sorry[0]?.text).toBe("Sorry, something went wrong on our side. Please try again.");
    expect(sorry[0]?.choices?.map((c) => c.label)).toEqual(["Book an appointment", "My bookings"]);
    expect(log.lines.some((l) => l.level === "error" && JSON.stringify(l.fields).includes("database on fire"))).toBe(true);
    const after = await db.prisma.conversationState.findFirstOrThrow({ where: { channel: "test", chatId: chat.chatId } });
    expect(after.version).toBe(before.version);
    expect(await db.prisma.booking.count({ where: { tenantId: tenant.id, status: "held" } })).toBe(heldBefore);
  });
});
