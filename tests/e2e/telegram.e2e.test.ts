/**
 * End to end: the real server process against a fake Telegram Bot API on 127.0.0.1. A simulated
 * client presses the buttons the bot sent; the database is checked after each step. The wall
 * clock is real (the server runs the system clock), so the test picks "the first free day" and
 * reads the expected texts back from the database.
 */
import { createTestDatabase, type TestDatabase } from "@chairside/core/testing";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeTelegram, type FakeButton, type FakeMessage } from "../../bots/src/testing/fake-telegram.js";
import { freePort, startServer, type ServerProcess } from "./server-process.js";

// Fake: the config wants the shape of a real token (digits, colon, 30+ characters).
const TOKEN = "123456:TEST-token-for-the-fake-bot-api-only";
const ZONE = "Europe/Copenhagen"; // the demo salon's
const CHAT = 7001;

const textStarts = (prefix: string) => (m: FakeMessage) => m.text?.startsWith(prefix) ?? false;
const isDay = (b: FakeButton) => b.callback_data?.includes(":day:") ?? false;
const isTime = (b: FakeButton) => b.callback_data?.includes(":t:") ?? false;
const buttonsOf = (m: FakeMessage) => (m.reply_markup?.inline_keyboard ?? []).flat();
const localDate = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).setLocale("en").toFormat("cccc d LLLL");
const localTime = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toFormat("HH:mm");

describe("Telegram end to end: real server, fake Bot API, long polling", () => {
  let db: TestDatabase;
  let fake: FakeTelegram;
  let server: ServerProcess;
  let env: Record<string, string>;

  const confirmed = () => db.prisma.booking.findMany({ where: { status: "confirmed" }, orderBy: { createdAt: "asc" }, include: { client: true } });

  /** Presses a button and waits for the reply that satisfies `reply`. */
  async function press(match: string | ((b: FakeButton) => boolean), reply: (m: FakeMessage) => boolean, options: { messageId?: number } = {}) {
    fake.pressButton(CHAT, typeof match === "string" ? match : (b) => match(b), options);
    return fake.waitForMessage(CHAT, reply, { timeoutMs: 15_000 });
  }

  /**
   * From any message with the global Book button to the time list of the n-th free day (0: the
   * first). Bookings that a later step changes use day 1: never today, so always outside the
   * salon's 2-hour cut-off for changes, whatever the time of day the test runs.
   */
  async function toTimes(day = 0): Promise<FakeMessage> {
    await press("Book an appointment", textStarts("Which service would you like?"));
    await press((b) => b.text.startsWith("Men's haircut"), textStarts("Who would you like for Men's haircut?"));
    const days = await press("Anyone available", textStarts("Which day suits you"));
    const pick = buttonsOf(days).filter(isDay)[day]!;
    return press((b) => b.callback_data === pick.callback_data, textStarts("Free times for Men's haircut"));
  }

  /** The "My bookings" list; returns the message of the booking with this id. */
  async function listedBooking(bookingId: string): Promise<FakeMessage> {
    const mark = fake.lastMessageId(CHAT);
    fake.pressButton(CHAT, "My bookings");
    await fake.waitForMessage(CHAT, textStarts("Anything else?"), { timeoutMs: 15_000 });
    const message = fake.botMessages(CHAT, mark).find((m) => buttonsOf(m).some((b) => b.callback_data?.endsWith(bookingId)));
    if (!message) throw new Error(`Booking ${bookingId} is not listed`);
    return message;
  }
  let secondBookingId = "";

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await FakeTelegram.start({ token: TOKEN });
    fake.setUser(CHAT, { first_name: "Ada", last_name: "Lovelace", language_code: "en" });
    env = {
      DATABASE_URL: db.url,
      HOST: "127.0.0.1",
      PORT: String(await freePort()),
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      LOG_LEVEL: "info",
    };
    server = await startServer(env);
    expect(server.output).toContain("long polling as @chairside_test_bot");
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await fake?.close();
    await db?.drop();
  });

  it("books: /start, service, anyone, first day, first time, shared contact, confirm", async () => {
    fake.sendText(CHAT, "/start");
    await fake.waitForMessage(CHAT, textStarts("Hi! Welcome to Chairside Demo Salon."), { timeoutMs: 15_000 });
    const times = await toTimes();
    expect(buttonsOf(times).filter(isTime).every((b) => /^\d\d:\d\d$/.test(b.text))).toBe(true);
    await press(isTime, textStarts("To book, we need your phone number."));
    fake.pressReplyButton(CHAT, "Share my phone number", "4520123456");
    await fake.waitForMessage(CHAT, textStarts("Please confirm your booking:"), { timeoutMs: 15_000 });

    const callsBefore = fake.calls.length;
    const { update } = fake.pressButton(CHAT, "Confirm");
    const booked = await fake.waitForMessage(CHAT, textStarts("You're booked!"), { timeoutMs: 15_000 });

    // The button press was answered before the (slower) reply was sent.
    const later = fake.calls.slice(callsBefore);
    const answered = later.findIndex((c) => c.method === "answerCallbackQuery" && "callback_query" in update && c.params.callback_query_id === update.callback_query.id);
    expect(answered).toBeGreaterThanOrEqual(0);
    expect(answered).toBeLessThan(later.findIndex((c) => c.method === "sendMessage"));

    const bookings = await confirmed();
    expect(bookings).toHaveLength(1);
    const booking = bookings[0]!;
    expect(booking.client).toMatchObject({ name: "Ada Lovelace", phone: "+4520123456", phoneVerified: true });
    expect(booking.channel).toBe("telegram");
    expect(booked.text).toBe(
      `You're booked! Men's haircut with ${(await db.prisma.staff.findUniqueOrThrow({ where: { id: booking.staffId } })).name} ` +
        `on ${localDate(booking.startsAt)} at ${localTime(booking.startsAt)}. See you then!`,
    );
  });

  it("a SIGKILL in the middle of a booking loses nothing: the restarted server carries on", async () => {
    const times = await toTimes(1); // the state (pick_time of that day) is in PostgreSQL now
    await server.kill();
    server = await startServer(env);
    const lastTime = buttonsOf(times).filter(isTime).at(-1)!;
    await press((b) => b.callback_data === lastTime.callback_data, textStarts("Please confirm your booking:"), { messageId: times.message_id });
    await press("Confirm", textStarts("You're booked!"));
    const bookings = await confirmed();
    expect(bookings).toHaveLength(2);
    expect(localTime(bookings[1]!.startsAt)).toBe(lastTime.text);
    secondBookingId = bookings[1]!.id;
  }, 90_000);

  it("My bookings → Reschedule → day → time → confirm moves the booking and records it", async () => {
    const bookingId = secondBookingId;
    const list = await listedBooking(bookingId);
    const before = await db.prisma.booking.findUniqueOrThrow({ where: { id: bookingId } });

    const days = await press("Reschedule", textStarts("Which day would you like to move Men's haircut to?"), { messageId: list.message_id });
    // Another day than the booking's, and not today (the 2-hour cut-off applies to the new time too).
    const today = DateTime.now().setZone(ZONE).toISODate()!;
    const current = DateTime.fromJSDate(before.startsAt, { zone: ZONE }).toISODate()!;
    const newDay = buttonsOf(days).filter(isDay).find((b) => !b.callback_data!.endsWith(today) && !b.callback_data!.endsWith(current))!;
    const times = await press((b) => b.callback_data === newDay.callback_data, textStarts("Free times for Men's haircut"));
    const newTime = buttonsOf(times).filter(isTime)[0]!;
    const ask = await press((b) => b.callback_data === newTime.callback_data, textStarts("Move Men's haircut"));
    expect(ask.text).toContain(`from ${localDate(before.startsAt)} at ${localTime(before.startsAt)}`);
    const done = await press("Yes, move it", textStarts("Done!"));

    const after = await db.prisma.booking.findUniqueOrThrow({ where: { id: bookingId } });
    expect(after.status).toBe("confirmed");
    expect(after.startsAt.getTime()).not.toBe(before.startsAt.getTime());
    expect(localTime(after.startsAt)).toBe(newTime.text);
    expect(done.text).toContain(`is now on ${localDate(after.startsAt)} at ${newTime.text}.`);
    const events = await db.prisma.bookingEvent.findMany({ where: { bookingId, type: "rescheduled" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ fromStarts: before.startsAt, toStarts: after.startsAt });

    // That day picker is an earlier message now: its buttons get an honest answer.
    const mark = fake.lastMessageId(CHAT);
    fake.pressOldButton(CHAT, days, newDay.callback_data!);
    const stale = await fake.waitForMessage(CHAT, () => true, { after: mark, timeoutMs: 15_000 });
    expect(stale.text).toMatch(/^That button is from an earlier message\. Here is where we are now:\n\nWhat would you like to do\?$/);
    expect(buttonsOf(stale).map((b) => b.text)).toEqual(["Book an appointment", "My bookings"]);
  });

  it("My bookings → Cancel → confirm cancels; the cancelled booking's old button is answered honestly", async () => {
    const bookingId = secondBookingId; // rescheduled to a later day above
    const list = await listedBooking(bookingId);
    const cancel = buttonsOf(list).find((b) => b.text === "Cancel")!;
    await press("Cancel", textStarts("Cancel Men's haircut"), { messageId: list.message_id });
    await press("Yes, cancel it", (m) => m.text?.includes("is cancelled.") ?? false);
    expect((await db.prisma.booking.findUniqueOrThrow({ where: { id: bookingId } })).status).toBe("cancelled");
    const events = await db.prisma.bookingEvent.findMany({ where: { bookingId, type: "cancelled" } });
    expect(events).toHaveLength(1);

    const mark = fake.lastMessageId(CHAT);
    fake.pressOldButton(CHAT, list, cancel.callback_data!);
    const reply = await fake.waitForMessage(CHAT, () => true, { after: mark, timeoutMs: 15_000 });
    expect(reply.text).toBe("That booking is no longer active.\n\nWhat would you like to do?");
    expect((await db.prisma.booking.findUniqueOrThrow({ where: { id: bookingId } })).status).toBe("cancelled");
  });

  it("unknown text and a sticker get a short help with buttons, never silence", async () => {
    fake.sendText(CHAT, "do you do nails?");
    const help = await fake.waitForMessage(CHAT, () => true, { timeoutMs: 15_000 });
    expect(help.text).toMatch(/^Sorry, I didn't understand that\. Please tap one of the buttons, or type the number of an option\./);
    expect(buttonsOf(help).length).toBeGreaterThan(0);
    fake.sendSticker(CHAT);
    const sticker = await fake.waitForMessage(CHAT, () => true, { timeoutMs: 15_000 });
    expect(sticker.text).toMatch(/^Sorry, I can only read text messages and the buttons\./);
    expect(buttonsOf(sticker).length).toBeGreaterThan(0);
  });

  it("a phone number that does not parse is refused with an example (first visit, typed)", async () => {
    const chat = 7002;
    fake.setUser(chat, { first_name: "Bo", language_code: "en" });
    fake.sendText(chat, "/start");
    await fake.waitForMessage(chat, textStarts("Hi! Welcome"), { timeoutMs: 15_000 });
    const step = async (match: string | ((b: FakeButton) => boolean), reply: (m: FakeMessage) => boolean) => {
      fake.pressButton(chat, match);
      return fake.waitForMessage(chat, reply, { timeoutMs: 15_000 });
    };
    await step("Book an appointment", textStarts("Which service"));
    await step((b) => b.text.startsWith("Men's haircut"), textStarts("Who would you like"));
    await step("Anyone available", textStarts("Which day"));
    await step(isDay, textStarts("Free times"));
    await step(isTime, textStarts("To book, we need your phone number."));
    fake.sendText(chat, "not a number");
    const refused = await fake.waitForMessage(chat, () => true, { timeoutMs: 15_000 });
    expect(refused.text).toMatch(/^That doesn't look like a phone number\. Example: \+45 \d\d \d\d \d\d \d\d/);
    expect(await db.prisma.client.count({ where: { identities: { some: { externalId: String(chat) } } } })).toBe(0);
    fake.sendText(chat, "menu"); // leave: the hold is released
    await fake.waitForMessage(chat, textStarts("No problem, you can share your number later."), { timeoutMs: 15_000 });
  });

  it("the same update delivered twice books once and is answered once", async () => {
    const countBefore = (await confirmed()).length;
    fake.sendText(CHAT, "menu");
    await fake.waitForMessage(CHAT, textStarts("What would you like to do?"), { timeoutMs: 15_000 });
    await toTimes();
    await press(isTime, textStarts("Please confirm your booking:"));
    const mark = fake.lastMessageId(CHAT);
    fake.pressButton(CHAT, "Confirm", { deliveries: 2 });
    await fake.waitForMessage(CHAT, textStarts("You're booked!"), { timeoutMs: 15_000 });
    fake.sendText(CHAT, "menu"); // handled after the duplicate (one chat's updates are handled in order)
    await fake.waitForMessage(CHAT, textStarts("What would you like to do?"), { timeoutMs: 15_000 });
    expect(fake.botMessages(CHAT, mark).map((m) => m.text?.split(" ")[0])).toEqual(["You're", "What"]);
    expect((await confirmed()).length).toBe(countBefore + 1);
  });
});

describe("Telegram end to end: webhook mode", () => {
  const SECRET = "e2e-webhook-secret_0123456789abcdef";
  let db: TestDatabase;
  let fake: FakeTelegram;
  let server: ServerProcess;
  let origin: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    // Telegram posts to the public https URL; the fake posts to the server directly (as a TLS proxy would).
    fake = await FakeTelegram.start({ token: TOKEN, webhookOrigin: origin });
    server = await startServer({
      DATABASE_URL: db.url,
      HOST: "127.0.0.1",
      PORT: String(port),
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      PUBLIC_URL: "https://chairside.example.test",
      TELEGRAM_WEBHOOK_SECRET: SECRET,
    });
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await fake?.close();
    await db?.drop();
  });

  const update = (updateId: number, text: string) => ({
    update_id: updateId,
    message: { message_id: updateId, date: 1_800_000_000, chat: { id: 8001, type: "private" }, from: { id: 8001, is_bot: false, first_name: "Eve" }, text },
  });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${origin}/webhooks/telegram/demo`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

  it("registers the webhook with its secret", () => {
    expect(fake.webhookInfo).toEqual({ url: "https://chairside.example.test/webhooks/telegram/demo", secret: SECRET });
    expect(server.output).toContain("webhook mode as @chairside_test_bot");
  });

  it("refuses a missing or wrong secret with 401 and changes nothing", async () => {
    expect((await post(update(1, "/start"))).status).toBe(401);
    expect((await post(update(1, "/start"), { "X-Telegram-Bot-Api-Secret-Token": "wrong" })).status).toBe(401);
    expect((await post(update(1, "/start"), { "X-Telegram-Bot-Api-Secret-Token": `${SECRET}x` })).status).toBe(401);
    expect(await db.prisma.inboundEvent.count()).toBe(0);
    expect(await db.prisma.conversationState.count()).toBe(0);
    expect(fake.callsOf("sendMessage")).toHaveLength(0);
  });

  it("handles an update with the right secret, once even when delivered twice", async () => {
    const headers = { "X-Telegram-Bot-Api-Secret-Token": SECRET };
    fake.sendText(8001, "hello"); // gives the fake's chat a user, so sendMessage to it is accepted
    await fake.waitForMessage(8001, textStarts("Sorry, I didn't understand that."), { timeoutMs: 15_000 });
    const mark = fake.lastMessageId(8001);
    expect((await post(update(555, "/start"), headers)).status).toBe(200);
    expect((await post(update(555, "/start"), headers)).status).toBe(200);
    expect((await post(update(556, "/start"), headers)).status).toBe(200);
    // 200 means stored (persist first); the replies follow from the inbox worker, in order:
    // once the answer to a later message is there, both /start were answered.
    fake.sendText(8001, "menu");
    await fake.waitForMessage(8001, textStarts("What would you like to do?"), { timeoutMs: 15_000 });
    expect(fake.botMessages(8001, mark).map((m) => m.text?.slice(0, 24))).toEqual(["Hi! Welcome to Chairside", "Hi! Welcome to Chairside", "What would you like to d"]);
    expect(await db.prisma.inboundEvent.count({ where: { externalId: { in: ["555", "556"] } } })).toBe(2);
  });

  it("lets the simulated client book through webhook deliveries", async () => {
    const chat = 8002;
    const step = async (match: string | ((b: FakeButton) => boolean), reply: (m: FakeMessage) => boolean) => {
      fake.pressButton(chat, match);
      return fake.waitForMessage(chat, reply, { timeoutMs: 15_000 });
    };
    fake.sendText(chat, "/start");
    await fake.waitForMessage(chat, textStarts("Hi! Welcome"), { timeoutMs: 15_000 });
    await step("Book an appointment", textStarts("Which service"));
    await step((b) => b.text.startsWith("Men's haircut"), textStarts("Who would you like"));
    await step("Anyone available", textStarts("Which day"));
    await step(isDay, textStarts("Free times"));
    await step(isTime, textStarts("To book, we need your phone number."));
    fake.pressReplyButton(chat, "Share my phone number", "+4520555555");
    await fake.waitForMessage(chat, textStarts("Please confirm"), { timeoutMs: 15_000 });
    await step("Confirm", textStarts("You're booked!"));
    expect(await db.prisma.booking.count({ where: { status: "confirmed", client: { phone: "+4520555555", phoneVerified: true } } })).toBe(1);
    expect(fake.webhookDeliveries.every((d) => d.status === 200)).toBe(true);
  });
});
