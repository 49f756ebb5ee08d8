/**
 * End to end: the real server process against a fake WhatsApp Cloud API (Graph) on 127.0.0.1.
 * WHATSAPP_GRAPH_URL points the server at the fake; the fake posts every webhook to the server
 * directly (as a TLS-terminating proxy in front of https://chairside.example.test would), signed
 * with the app secret as Meta signs them. A simulated client books (the phone comes from wa_id:
 * no contact step), reschedules and cancels by pressing the buttons and list rows the bot sent;
 * the database is checked after each step. The wall clock is real, so the test picks "the first
 * free day" and reads the expected texts back from the database.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@chairside/core/testing";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeWhatsApp, type FakeChoice, type FakeSentMessage } from "../../bots/src/testing/fake-whatsapp.js";
import { freePort, startServer, type ServerProcess } from "./server-process.js";

const PUBLIC_URL = "https://chairside.example.test";
const PHONE_NUMBER_ID = "106540352242922";
const ACCESS_TOKEN = "EAAGe2eTestAccessToken0123456789abcdef";
const APP_SECRET = "e2e-app-secret-0123456789abcdef";
const VERIFY_TOKEN = "e2e-verify-token-0123456789";
const ZONE = "Europe/Copenhagen"; // the demo salon's
const ADA = "4520123456";

const localDate = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).setLocale("en").toFormat("cccc d LLLL");
const localTime = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toFormat("HH:mm");
const isDay = (c: FakeChoice) => c.id.includes(":day:");
const isTime = (c: FakeChoice) => c.id.includes(":t:");

describe("WhatsApp end to end: real server, fake Graph API, signed webhooks", () => {
  let db: TestDatabase;
  let fake: FakeWhatsApp;
  let server: ServerProcess;
  let dataDir: string;
  let origin: string;
  let bookingId = "";

  const webhook = () => `${origin}/webhooks/whatsapp/demo`;
  const confirmed = () => db.prisma.booking.findMany({ where: { status: "confirmed" }, orderBy: { createdAt: "asc" }, include: { client: true } });
  const textStarts = (prefix: string) => (m: FakeSentMessage) => fake.textOf(m).startsWith(prefix);
  const choicesOf = (messages: FakeSentMessage[]) => messages.flatMap((m) => fake.choicesOf(m));

  /** Presses a button or row (the webhook must be answered 200) and waits for the reply that satisfies `reply`. */
  async function press(match: string | ((c: FakeChoice, m: FakeSentMessage) => boolean), reply: (m: FakeSentMessage) => boolean, user = ADA) {
    const result = await fake.pressButton(user, match);
    expect(result.status).toBe(200);
    return fake.waitForMessage(user, reply, { timeoutMs: 15_000 });
  }

  /** Presses, then waits for the whole answer: every message up to the one with the Menu choice. */
  async function pressForAll(match: string | ((c: FakeChoice, m: FakeSentMessage) => boolean), user = ADA): Promise<FakeSentMessage[]> {
    const mark = fake.mark();
    expect((await fake.pressButton(user, match)).status).toBe(200);
    await fake.waitForMessage(user, (m) => fake.choicesOf(m).some((c) => c.id === "g:menu"), { after: mark, timeoutMs: 15_000 });
    return fake.messagesTo(user, mark);
  }

  /** From a message with "Book an appointment" to all the time messages of the n-th free day. */
  async function toTimes(day: number, user = ADA): Promise<FakeSentMessage[]> {
    await press("Book an appointment", textStarts("Which service would you like?"), user);
    await press((c) => c.title.startsWith("Men's haircut"), textStarts("Who would you like for Men's haircut?"), user);
    const days = await press("Anyone available", textStarts("Which day suits you"), user);
    const pick = fake.choicesOf(days).filter(isDay)[day]!;
    const times = await pressForAll((c) => c.id === pick.id, user);
    expect(fake.textOf(times[0]!)).toMatch(/^Free times for Men's haircut on /);
    return times;
  }

  /** "My bookings"; returns the message with the buttons of the booking with this id. */
  async function listedBooking(id: string): Promise<FakeSentMessage> {
    const mark = fake.mark();
    await fake.pressButton(ADA, "My bookings");
    await fake.waitForMessage(ADA, textStarts("Anything else?"), { after: mark, timeoutMs: 15_000 });
    const message = fake.messagesTo(ADA, mark).find((m) => fake.choicesOf(m).some((c) => c.id.endsWith(id)));
    if (!message) throw new Error(`Booking ${id} is not listed`);
    return message;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), "chairside-whatsapp-e2e-"));
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    fake = await FakeWhatsApp.start({ accessToken: ACCESS_TOKEN, phoneNumberId: PHONE_NUMBER_ID, appSecret: APP_SECRET, webhookUrl: `${origin}/webhooks/whatsapp/demo` });
    fake.setName(ADA, "Ada Lovelace");
    server = await startServer({
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      CHAIRSIDE_SECRET_KEY: randomBytes(32).toString("hex"),
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      WHATSAPP_GRAPH_URL: fake.graphUrl,
      LOG_LEVEL: "info",
    });
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await fake?.close();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("prints the salon's webhook URL and never a secret", () => {
    expect(server.output).toMatch(/WhatsApp: .*https:\/\/chairside\.example\.test\/webhooks\/whatsapp\/demo/);
    for (const secret of [ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN]) expect(server.output).not.toContain(secret);
  });

  it("answers Meta's verification GET with the challenge, and 403 to a wrong verify token", async () => {
    const ok = await fetch(`${webhook()}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${VERIFY_TOKEN}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("1158201444");
    expect((await fetch(`${webhook()}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=wrong-token`)).status).toBe(403);
  });

  it("books: service, anyone, a day, a time from the last page of 30, confirm; the phone comes from wa_id", async () => {
    expect((await fake.sendText(ADA, "menu")).status).toBe(200);
    await fake.waitForMessage(ADA, (m) => fake.choicesOf(m).some((c) => c.title === "Book an appointment"), { timeoutMs: 15_000 });

    const times = await toTimes(1); // never today: stays changeable whatever the time of day
    const slots = choicesOf(times).filter(isTime);
    // A full day for "anyone" has more times than one list holds: several lists, all within the limits.
    expect(times.length).toBeGreaterThan(1);
    expect(slots.length).toBeGreaterThan(10);
    expect(times.slice(1).every((m) => fake.textOf(m) === "More…")).toBe(true);
    const last = slots.at(-1)!;
    const confirm = await press((c) => c.id === last.id, textStarts("Please confirm your booking:"));
    expect(fake.textOf(confirm)).toContain(`at ${last.title}`);
    const booked = await press("Confirm", textStarts("You're booked!"));

    const bookings = await confirmed();
    expect(bookings).toHaveLength(1);
    const booking = bookings[0]!;
    bookingId = booking.id;
    expect(booking.channel).toBe("whatsapp");
    expect(booking.client).toMatchObject({ name: "Ada Lovelace", phone: "+4520123456", phoneVerified: true });
    expect(localTime(booking.startsAt)).toBe(last.title);
    const staff = await db.prisma.staff.findUniqueOrThrow({ where: { id: booking.staffId } });
    expect(fake.textOf(booked)).toBe(`You're booked! Men's haircut with ${staff.name} on ${localDate(booking.startsAt)} at ${localTime(booking.startsAt)}. See you then!`);
    expect(await db.prisma.clientIdentity.count({ where: { channel: "whatsapp", externalId: ADA } })).toBe(1);
    // The inbox recorded the wamids of the replies (delivery statuses refer to them).
    const confirmEvent = await db.prisma.inboundEvent.findFirst({ where: { channel: "whatsapp", replyMessageIds: { has: booked.id } } });
    expect(confirmEvent).not.toBeNull();
  });

  it("records status webhooks, a failure outside the 24-hour window included, each once", async () => {
    const wamid = fake.messagesTo(ADA).at(-1)!.id;
    expect((await fake.emitStatus(wamid, "sent")).status).toBe(200);
    expect((await fake.emitStatus(wamid, "delivered", { deliveries: 2 })).status).toBe(200);
    expect((await fake.emitStatus(wamid, "failed")).status).toBe(200);
    const events = await db.prisma.channelStatusEvent.findMany({ where: { providerMessageId: wamid }, orderBy: { at: "asc" } });
    expect(events.map((e) => e.status).sort()).toEqual(["delivered", "failed", "sent"]);
    expect(events.find((e) => e.status === "failed")?.error).toEqual({ code: "131047", message: "Re-engagement message" });
  });

  it("the same webhook delivered twice books once and is answered once", async () => {
    const before = (await confirmed()).length;
    await fake.sendText(ADA, "menu");
    await fake.waitForMessage(ADA, textStarts("What would you like to do?"), { timeoutMs: 15_000 });
    const times = await toTimes(1);
    const slot = choicesOf(times).filter(isTime)[0]!;
    await press((c) => c.id === slot.id, textStarts("Please confirm your booking:"));
    const mark = fake.mark();
    const retried = await fake.pressButton(ADA, "Confirm", { deliveries: 2 });
    expect(retried.status).toBe(200);
    await fake.waitForMessage(ADA, textStarts("You're booked!"), { after: mark, timeoutMs: 15_000 });
    await fake.sendText(ADA, "menu"); // handled after the duplicate (one chat's events are handled in order)
    await fake.waitForMessage(ADA, textStarts("What would you like to do?"), { after: mark, timeoutMs: 15_000 });
    expect(fake.messagesTo(ADA, mark).map((m) => fake.textOf(m).split(" ")[0])).toEqual(["You're", "What"]);
    expect((await confirmed()).length).toBe(before + 1);
    expect(await db.prisma.inboundEvent.count({ where: { channel: "whatsapp", externalId: retried.wamid! } })).toBe(1);
  });

  it("My bookings → Reschedule → day → time → Yes moves the booking and records it", async () => {
    const before = await db.prisma.booking.findUniqueOrThrow({ where: { id: bookingId } });
    const list = await listedBooking(bookingId);
    expect(fake.choicesOf(list).map((c) => c.title)).toEqual(["Reschedule", "Cancel"]);
    const days = await press((c, m) => m.id === list.id && c.title === "Reschedule", textStarts("Which day would you like to move Men's haircut to?"));
    const today = DateTime.now().setZone(ZONE).toISODate()!;
    const current = DateTime.fromJSDate(before.startsAt, { zone: ZONE }).toISODate()!;
    const newDay = fake.choicesOf(days).filter(isDay).find((c) => !c.id.endsWith(today) && !c.id.endsWith(current))!;
    const times = await pressForAll((c) => c.id === newDay.id);
    const newTime = choicesOf(times).filter(isTime)[0]!;
    const ask = await press((c) => c.id === newTime.id, textStarts("Move Men's haircut"));
    expect(fake.textOf(ask)).toContain(`from ${localDate(before.startsAt)} at ${localTime(before.startsAt)}`);
    const done = await press("Yes, move it", textStarts("Done!"));

    const after = await db.prisma.booking.findUniqueOrThrow({ where: { id: bookingId } });
    expect(after.status).toBe("confirmed");
    expect(localTime(after.startsAt)).toBe(newTime.title);
    expect(after.startsAt.getTime()).not.toBe(before.startsAt.getTime());
    expect(fake.textOf(done)).toContain(`is now on ${localDate(after.startsAt)} at ${newTime.title}.`);
    const events = await db.prisma.bookingEvent.findMany({ where: { bookingId, type: "rescheduled" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ fromStarts: before.startsAt, toStarts: after.startsAt });
  });

  it("My bookings → Cancel → Yes cancels the booking", async () => {
    const list = await listedBooking(bookingId);
    await press((c, m) => m.id === list.id && c.title === "Cancel", textStarts("Cancel Men's haircut"));
    await press("Yes, cancel it", (m) => fake.textOf(m).includes("is cancelled."));
    expect((await db.prisma.booking.findUniqueOrThrow({ where: { id: bookingId } })).status).toBe("cancelled");
    expect(await db.prisma.bookingEvent.count({ where: { bookingId, type: "cancelled" } })).toBe(1);
  });

  it("a photo gets a polite answer with the menu", async () => {
    expect((await fake.sendImage(ADA)).status).toBe(200);
    const reply = await fake.waitForMessage(ADA, () => true, { timeoutMs: 15_000 });
    expect(fake.textOf(reply)).toMatch(/^Sorry, I can only read text messages and the buttons\./);
    expect(fake.choicesOf(reply).length).toBeGreaterThan(0);
  });

  it("a bad or missing signature gets 401 and changes nothing", async () => {
    const counts = async () => ({
      inbound: await db.prisma.inboundEvent.count(),
      states: await db.prisma.conversationState.count(),
      bookings: await db.prisma.booking.count(),
      statuses: await db.prisma.channelStatusEvent.count(),
    });
    const before = await counts();
    const sent = fake.sent.length;
    expect((await fake.sendText("4520999999", "menu", { signature: "wrong" })).status).toBe(401);
    expect((await fake.sendText("4520999999", "menu", { signature: "missing" })).status).toBe(401);
    expect((await fake.pressButton(ADA, "Book an appointment", { signature: "wrong" })).status).toBe(401);
    expect((await fake.emitStatus(fake.sent.at(-1)!.id, "read", { signature: "missing" })).status).toBe(401);
    expect(await counts()).toEqual(before);
    expect(fake.sent.length).toBe(sent);
  });

  it("a malformed or oversized body gets 400/413 and the server keeps serving", async () => {
    expect((await fake.postWebhook('{"object":"whatsapp_business_account","entry":[')).status).toBe(400);
    expect((await fake.postWebhook(JSON.stringify({ object: "whatsapp_business_account", entry: "nope" }))).status).toBe(400);
    expect((await fake.postWebhook(JSON.stringify({ padding: "x".repeat(1024 * 1024 + 16) }))).status).toBe(413);
    expect((await fetch(`${origin}/health`)).status).toBe(200);
    expect((await fake.sendText(ADA, "menu")).status).toBe(200);
    await fake.waitForMessage(ADA, textStarts("What would you like to do?"), { timeoutMs: 15_000 });
  });
});
