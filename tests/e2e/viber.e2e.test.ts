/**
 * End to end: the real server process against a fake Viber REST Bot API on 127.0.0.1. The server
 * registers https://chairside.example.test/webhooks/viber/demo at start; the fake posts every
 * callback to the server directly (as a TLS-terminating proxy would), signed with the auth token
 * as Viber signs them. A simulated client opens the chat (the welcome comes back in the HTTP
 * response), subscribes, books (sharing the phone with the share-phone button), reschedules and
 * cancels by pressing keyboard buttons; the database is checked after each step.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@chairside/core/testing";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeViber, viberJson, type FakeViberButton, type FakeViberMessage } from "../../bots/src/testing/fake-viber.js";
import { freePort, startServer, type ServerProcess } from "./server-process.js";

const TOKEN = "4b7d2c1e0f9a8b7c-6d5e4f3a2b1c0d9e-e2e-viber-token";
const PUBLIC_URL = "https://chairside.example.test";
const ZONE = "Europe/Copenhagen"; // the demo salon's
const ADA = "Ada7Xp0LkQ1v+fake==";

const textStarts = (prefix: string) => (m: FakeViberMessage) => m.text.startsWith(prefix);
const isDay = (b: FakeViberButton) => b.ActionBody.includes(":day:");
const isTime = (b: FakeViberButton) => b.ActionBody.includes(":t:");
const buttonsOf = (m: FakeViberMessage) => m.keyboard?.Buttons ?? [];
const localDate = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).setLocale("en").toFormat("cccc d LLLL");
const localTime = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toFormat("HH:mm");

describe("Viber end to end: real server, fake Viber REST API, signed webhooks", () => {
  let db: TestDatabase;
  let fake: FakeViber;
  let server: ServerProcess;
  let dataDir: string;
  let origin: string;
  let bookingId = "";

  const confirmed = () => db.prisma.booking.findMany({ where: { status: "confirmed" }, orderBy: { createdAt: "asc" }, include: { client: true } });
  const webhook = `${PUBLIC_URL}/webhooks/viber/demo`;

  /** Presses a button of the keyboard shown to the user (200 expected) and waits for the reply that satisfies `reply`. */
  async function press(match: string | ((b: FakeViberButton) => boolean), reply: (m: FakeViberMessage) => boolean, user = ADA) {
    const result = await fake.pressButton(user, typeof match === "string" ? match : (b) => match(b));
    expect(result.status).toBe(200);
    return fake.waitForMessage(user, reply, { timeoutMs: 15_000 });
  }

  /** From a keyboard with "Book an appointment" to the first page of times of the n-th free day. */
  async function toTimes(day: number, user = ADA): Promise<FakeViberMessage> {
    await press("Book an appointment", textStarts("Which service would you like?"), user);
    await press((b) => (b.Text ?? "").startsWith("Men's haircut"), textStarts("Who would you like for Men's haircut?"), user);
    const days = await press("Anyone available", textStarts("Which day suits you"), user);
    const pick = buttonsOf(days).filter(isDay)[day]!;
    return press((b) => b.ActionBody === pick.ActionBody, textStarts("Free times for Men's haircut"), user);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), "chairside-viber-e2e-"));
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    fake = await FakeViber.start({ authToken: TOKEN, webhookOrigin: origin });
    fake.setUser(ADA, { name: "Ada Lovelace", language: "en" });
    server = await startServer({
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      CHAIRSIDE_SECRET_KEY: randomBytes(32).toString("hex"),
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL,
      VIBER_AUTH_TOKEN: TOKEN,
      VIBER_API_URL: fake.apiUrl,
      LOG_LEVEL: "info",
    });
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await fake?.close();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("registers the salon's webhook with Viber at start (after the signed handshake) and prints it", () => {
    expect(fake.webhookUrl).toBe(webhook);
    expect(fake.callsOf("set_webhook")).toHaveLength(1);
    expect(server.output).toMatch(/Viber: .*https:\/\/chairside\.example\.test\/webhooks\/viber\/demo/);
    expect(server.output).not.toContain(TOKEN);
  });

  it("conversation_started is answered with the welcome message in the response body (the user is not subscribed yet)", async () => {
    const { status, welcome } = await fake.conversationStarted(ADA);
    expect(status).toBe(200);
    expect(welcome?.text).toBe("Hi! Welcome to Chairside Demo Salon. What would you like to do?");
    expect(welcome?.sender.name).toBe("Chairside Demo Salon");
    expect(buttonsOf(welcome!).map((b) => [b.Text, b.ActionBody])).toEqual([
      ["Book an appointment", "g:book"],
      ["My bookings", "g:my"],
    ]);
    expect(fake.callsOf("send_message")).toHaveLength(0);
    expect(await db.prisma.conversationState.count()).toBe(0);
  });

  it("books: subscribe, service, anyone, a day, More… to the second page of times, share-phone, confirm", async () => {
    expect((await fake.subscribe(ADA)).status).toBe(200);
    const times = await toTimes(1); // never today: stays changeable whatever the time of day
    const more = buttonsOf(times).find((b) => b.Text === "More…");
    expect(more?.ActionBody).toBe("page:1"); // a full day for "anyone" has more times than one keyboard page
    const firstPage = buttonsOf(times).filter(isTime).map((b) => b.Text);
    const page2 = await press("More…", (m) => / \(2\/\d\)$/.test(m.text));
    expect(page2.text).toMatch(/^Free times for Men's haircut on .+ \(2\/\d\)$/);
    const time = buttonsOf(page2).filter(isTime)[0]!;
    expect(firstPage).not.toContain(time.Text);

    const ask = await press((b) => b.ActionBody === time.ActionBody, textStarts("To book, we need your phone number."));
    expect(buttonsOf(ask)[0]).toMatchObject({ ActionType: "share-phone", Columns: 6 });
    const shared = await fake.pressButton(ADA, (b) => b.ActionType === "share-phone", { phone: "+4520123456" });
    expect(shared.status).toBe(200);
    await fake.waitForMessage(ADA, textStarts("Please confirm your booking:"), { timeoutMs: 15_000 });
    const booked = await press("Confirm", textStarts("You're booked!"));

    const bookings = await confirmed();
    expect(bookings).toHaveLength(1);
    const booking = bookings[0]!;
    bookingId = booking.id;
    expect(booking.channel).toBe("viber");
    expect(booking.client).toMatchObject({ name: "Ada Lovelace", phone: "+4520123456", phoneVerified: true });
    expect(localTime(booking.startsAt)).toBe(time.Text);
    expect(booked.text).toContain(`on ${localDate(booking.startsAt)} at ${localTime(booking.startsAt)}. See you then!`);
    const identity = await db.prisma.clientIdentity.findFirst({ where: { channel: "viber", externalId: ADA } });
    expect(identity?.clientId).toBe(booking.clientId);
  });

  it("My bookings → Reschedule → day → time → confirm moves the booking and records it", async () => {
    const before = await db.prisma.booking.findUniqueOrThrow({ where: { id: bookingId } });
    await press("My bookings", textStarts("Anything else?"));
    const list = fake.keyboardOf(ADA)!;
    // Viber shows one keyboard: the booking's buttons are numbered with its message ("1️⃣ Reschedule").
    expect(buttonsOf(list).find((b) => b.ActionBody === `b:r:${bookingId}`)?.Text).toBe("1️⃣ Reschedule");
    const days = await press((b) => b.ActionBody === `b:r:${bookingId}`, textStarts("Which day would you like to move Men's haircut to?"));
    const today = DateTime.now().setZone(ZONE).toISODate()!;
    const current = DateTime.fromJSDate(before.startsAt, { zone: ZONE }).toISODate()!;
    const newDay = buttonsOf(days).filter(isDay).find((b) => !b.ActionBody.endsWith(today) && !b.ActionBody.endsWith(current))!;
    const times = await press((b) => b.ActionBody === newDay.ActionBody, textStarts("Free times for Men's haircut"));
    const newTime = buttonsOf(times).filter(isTime)[0]!;
    const ask = await press((b) => b.ActionBody === newTime.ActionBody, textStarts("Move Men's haircut"));
    expect(ask.text).toContain(`from ${localDate(before.startsAt)} at ${localTime(before.startsAt)}`);
    await press("Yes, move it", textStarts("Done!"));

    const after = await db.prisma.booking.findUniqueOrThrow({ where: { id: bookingId } });
    expect(after.status).toBe("confirmed");
    expect(localTime(after.startsAt)).toBe(newTime.Text);
    expect(DateTime.fromJSDate(after.startsAt, { zone: ZONE }).toISODate()).not.toBe(current);
    expect(await db.prisma.bookingEvent.count({ where: { bookingId, type: "rescheduled" } })).toBe(1);
  });

  it("My bookings → Cancel → confirm cancels", async () => {
    await press("My bookings", textStarts("Anything else?"));
    await press((b) => b.ActionBody === `b:c:${bookingId}`, textStarts("Cancel Men's haircut"));
    await press("Yes, cancel it", (m) => m.text.includes("is cancelled."));
    expect((await db.prisma.booking.findUniqueOrThrow({ where: { id: bookingId } })).status).toBe("cancelled");
    expect(await db.prisma.bookingEvent.count({ where: { bookingId, type: "cancelled" } })).toBe(1);
  });

  it("the same webhook delivered twice books once and is answered once", async () => {
    const countBefore = (await confirmed()).length;
    await fake.sendText(ADA, "menu");
    await fake.waitForMessage(ADA, textStarts("What would you like to do?"), { timeoutMs: 15_000 });
    const times = await toTimes(2);
    await press((b) => b.ActionBody === buttonsOf(times).filter(isTime)[0]!.ActionBody, textStarts("Please confirm your booking:"));
    const mark = fake.lastSeq();
    const first = await fake.pressButton(ADA, "Confirm");
    const again = await fake.post(first.raw); // Viber's retry: the same body, the same message_token
    expect([first.status, again.status]).toEqual([200, 200]);
    await fake.waitForMessage(ADA, textStarts("You're booked!"), { timeoutMs: 15_000 });
    await fake.sendText(ADA, "menu"); // handled after the duplicate (one chat's events in order)
    await fake.waitForMessage(ADA, textStarts("What would you like to do?"), { timeoutMs: 15_000 });
    expect(fake.messagesTo(ADA, mark).map((m) => m.text.split(" ")[0])).toEqual(["You're", "What"]);
    expect((await confirmed()).length).toBe(countBefore + 1);
  });

  it("a bad or missing signature gets 401 and changes nothing", async () => {
    const events = await db.prisma.inboundEvent.count();
    const sent = fake.callsOf("send_message").length;
    const states = await db.prisma.conversationState.findMany({ orderBy: { chatId: "asc" } });
    expect((await fake.sendText(ADA, "menu", { signature: "wrong" })).status).toBe(401);
    expect((await fake.sendText(ADA, "menu", { signature: "missing" })).status).toBe(401);
    expect((await fake.conversationStarted("Mallory0000000000==", { signature: "wrong" })).status).toBe(401);
    const forged = viberJson({ event: "message", timestamp: Date.now(), message_token: "5999999999999999999", sender: { id: ADA, name: "Ada" }, message: { type: "text", text: "g:book" } });
    const res = await fetch(`${origin}/webhooks/viber/demo`, { method: "POST", headers: { "content-type": "application/json", "X-Viber-Content-Signature": "f".repeat(64) }, body: forged });
    expect(res.status).toBe(401);
    expect(await db.prisma.inboundEvent.count()).toBe(events);
    expect(await db.prisma.conversationState.findMany({ orderBy: { chatId: "asc" } })).toEqual(states);
    expect(fake.callsOf("send_message")).toHaveLength(sent);
  });

  it("a malformed or oversized body gets 400/413 and the server keeps serving", async () => {
    const events = await db.prisma.inboundEvent.count();
    expect((await fake.post("{this is not json")).status).toBe(400);
    expect((await fake.post('{"event":"message","timestamp":1,"message_token":5000000000000000001}')).status).toBe(400);
    expect((await fake.post(JSON.stringify({ event: "message", pad: "x".repeat(1_100_000) }))).status).toBe(413);
    expect(await db.prisma.inboundEvent.count()).toBe(events);
    await fake.sendSticker(ADA);
    const reply = await fake.waitForMessage(ADA, () => true, { timeoutMs: 15_000 });
    expect(reply.text).toMatch(/^Sorry, I can only read text messages and the buttons\./);
    expect(buttonsOf(reply).length).toBeGreaterThan(0);
    expect(server.child.exitCode).toBeNull();
  });
});
