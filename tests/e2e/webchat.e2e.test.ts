/**
 * End to end: the real server process, and a simulated booking-page widget speaking the same HTTP
 * the widget speaks (open a conversation, POST Activities with the conversation token, poll the
 * bot's replies by watermark). No external account: web chat is on for the demo salon by default.
 * Books (typing the phone), reschedules and cancels by pressing suggested actions; checks the
 * database after each step; the same Activity posted twice books once; a malformed body is a 400
 * and the server keeps serving; a second visitor cannot read or write the first one's chat.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@chairside/core/testing";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startServer, type ServerProcess } from "./server-process.js";

const ZONE = "Europe/Copenhagen"; // the demo salon's
interface Action { title: string; value: { choiceId: string } }
interface BotActivity { id: string; type: string; text: string; suggestedActions?: { actions: Action[] } }

/** A widget: one conversation, its token, and the bot's activities seen so far. */
class Widget {
  seen: BotActivity[] = [];
  watermark = "0";
  constructor(readonly origin: string, readonly conversationId: string, readonly token: string) {}

  static async open(origin: string): Promise<Widget> {
    const res = await fetch(`${origin}/webhooks/webchat/demo/conversations`, { method: "POST" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { conversationId: string; token: string };
    return new Widget(origin, body.conversationId, body.token);
  }

  activity(fields: Record<string, unknown>): Record<string, unknown> {
    return { id: randomUUID(), channelId: "webchat", serviceUrl: this.origin, conversation: { id: this.conversationId }, from: { id: "visitor", name: "Ada Lovelace" }, recipient: { id: "chairside" }, locale: "en-GB", timestamp: new Date().toISOString(), ...fields };
  }

  async post(body: unknown, token = this.token): Promise<Response> {
    return fetch(`${this.origin}/webhooks/webchat/demo`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: typeof body === "string" ? body : JSON.stringify(body) });
  }

  async poll(): Promise<BotActivity[]> {
    const res = await fetch(`${this.origin}/webhooks/webchat/demo/conversations/${this.conversationId}/activities?watermark=${this.watermark}`, { headers: { authorization: `Bearer ${this.token}` } });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { activities: BotActivity[]; watermark: string };
    this.watermark = page.watermark;
    this.seen.push(...page.activities);
    return page.activities;
  }

  /** Polls until an activity whose text (or one of its paragraphs) starts with `prefix` arrives; returns it. */
  async waitFor(prefix: string, timeoutMs = 15_000): Promise<BotActivity> {
    const from = this.seen.length;
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      await this.poll();
      const hit = this.seen.slice(from).find((a) => a.text.startsWith(prefix) || a.text.includes(`\n${prefix}`));
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`No reply starting with "${prefix}"; got: ${this.seen.slice(from).map((a) => a.text).join(" | ")}`);
  }

  actions(): Action[] {
    return [...this.seen].reverse().find((a) => a.suggestedActions)?.suggestedActions?.actions ?? [];
  }

  /** Presses the suggested action matching `match` on the latest message that has any. */
  async press(match: string | ((a: Action) => boolean), reply: string): Promise<BotActivity> {
    const action = this.actions().find((a) => (typeof match === "string" ? a.title === match : match(a)));
    if (!action) throw new Error(`No suggested action ${String(match)} among ${this.actions().map((a) => a.title).join(", ")}`);
    const res = await this.post(this.activity({ type: "message", text: action.value.choiceId, value: action.value }));
    expect(res.status).toBe(200);
    return this.waitFor(reply);
  }

  async say(text: string, reply: string): Promise<BotActivity> {
    expect((await this.post(this.activity({ type: "message", text }))).status).toBe(200);
    return this.waitFor(reply);
  }
}

const isDay = (a: Action) => a.value.choiceId.includes(":day:");
const isTime = (a: Action) => a.value.choiceId.includes(":t:");
const localTime = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toFormat("HH:mm");

describe("Web chat end to end: real server, the widget's HTTP API, no external account", () => {
  let db: TestDatabase;
  let server: ServerProcess;
  let dataDir: string;
  let origin: string;
  let ada: Widget;
  let bookingId = "";
  const confirmed = () => db.prisma.booking.findMany({ where: { status: "confirmed" }, orderBy: { createdAt: "asc" }, include: { client: true } });

  async function toTimes(widget: Widget, day: number): Promise<void> {
    await widget.press("Book an appointment", "Which service would you like?");
    await widget.press((a) => a.title.startsWith("Men's haircut"), "Who would you like for Men's haircut?");
    await widget.press("Anyone available", "Which day suits you");
    const pick = widget.actions().filter(isDay)[day]!;
    await widget.press((a) => a.value.choiceId === pick.value.choiceId, "Free times for Men's haircut");
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), "chairside-webchat-e2e-"));
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    server = await startServer({ DATABASE_URL: db.url, DATA_DIR: dataDir, CHAIRSIDE_SECRET_KEY: randomBytes(32).toString("hex"), HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "info" });
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("is on for the demo salon with no account, and says so in the banner", async () => {
    expect(server.output).toMatch(/Web chat: the booking page's chat \(\/book\/demo\/chat\)/);
    expect(await db.prisma.channelConnection.count({ where: { channel: "webchat", enabled: true } })).toBe(1);
  });

  it("greets a new conversation (conversationUpdate) with the menu as suggested actions", async () => {
    ada = await Widget.open(origin);
    expect(ada.conversationId).toMatch(/^wc_[A-Za-z0-9_-]{32}$/);
    const res = await ada.post(ada.activity({ type: "conversationUpdate", membersAdded: [{ id: "visitor" }] }));
    expect(res.status).toBe(200);
    const hello = await ada.waitFor("Hi! Welcome to Chairside Demo Salon.");
    expect(hello.suggestedActions?.actions.map((a) => [a.title, a.value.choiceId])).toEqual([["Book an appointment", "g:book"], ["My bookings", "g:my"]]);
  });

  it("books: service, anyone, a day, a time, the typed phone (never verified), the name, confirm", async () => {
    await toTimes(ada, 1); // never today: stays changeable whatever the time of day
    const time = ada.actions().filter(isTime)[0]!;
    const ask = await ada.press((a) => a.value.choiceId === time.value.choiceId, "To book, we need your phone number.");
    // Web chat cannot share a phone: the client is asked to type it, no button is promised.
    expect(ask.text).toMatch(/Please type it \(for example .+\)\.$/);
    await ada.say("+45 20 12 34 56", "What name should we put the booking under?");
    await ada.press("Ada Lovelace", "Please confirm your booking:"); // the widget's from.name, offered as a button
    await ada.press("Confirm", "You're booked!");
    const bookings = await confirmed();
    expect(bookings).toHaveLength(1);
    bookingId = bookings[0]!.id;
    expect(bookings[0]!.channel).toBe("webchat");
    expect(bookings[0]!.client).toMatchObject({ name: "Ada Lovelace", phone: "+4520123456", phoneVerified: false });
    expect(localTime(bookings[0]!.startsAt)).toBe(time.title);
    const identity = await db.prisma.clientIdentity.findFirst({ where: { channel: "webchat", externalId: ada.conversationId } });
    expect(identity?.clientId).toBe(bookings[0]!.clientId);
  });

  it("My bookings → Reschedule → day → time → confirm moves the booking", async () => {
    const before = await db.prisma.booking.findUniqueOrThrow({ where: { id: bookingId } });
    await ada.press("My bookings", "Anything else?");
    await ada.press((a) => a.value.choiceId === `b:r:${bookingId}`, "Which day would you like to move Men's haircut to?");
    const today = DateTime.now().setZone(ZONE).toISODate()!;
    const current = DateTime.fromJSDate(before.startsAt, { zone: ZONE }).toISODate()!;
    const day = ada.actions().filter(isDay).find((a) => !a.value.choiceId.endsWith(today) && !a.value.choiceId.endsWith(current))!;
    await ada.press((a) => a.value.choiceId === day.value.choiceId, "Free times for Men's haircut");
    const time = ada.actions().filter(isTime)[0]!;
    await ada.press((a) => a.value.choiceId === time.value.choiceId, "Move Men's haircut");
    await ada.press("Yes, move it", "Done!");
    const after = await db.prisma.booking.findUniqueOrThrow({ where: { id: bookingId } });
    expect(localTime(after.startsAt)).toBe(time.title);
    expect(await db.prisma.bookingEvent.count({ where: { bookingId, type: "rescheduled" } })).toBe(1);
  });

  it("My bookings → Cancel → confirm cancels", async () => {
    await ada.press("My bookings", "Anything else?");
    await ada.press((a) => a.value.choiceId === `b:c:${bookingId}`, "Cancel Men's haircut");
    await ada.press("Yes, cancel it", "Your booking");
    expect((await db.prisma.booking.findUniqueOrThrow({ where: { id: bookingId } })).status).toBe("cancelled");
  });

  it("the same Activity posted twice books once and is answered once", async () => {
    const before = (await confirmed()).length;
    await ada.say("menu", "What would you like to do?");
    await toTimes(ada, 2);
    const time = ada.actions().filter(isTime)[0]!;
    await ada.press((a) => a.value.choiceId === time.value.choiceId, "Please confirm your booking:");
    const confirm = ada.actions().find((a) => a.title === "Confirm")!;
    const activity = ada.activity({ type: "message", text: confirm.value.choiceId, value: confirm.value });
    const mark = ada.seen.length;
    expect([(await ada.post(activity)).status, (await ada.post(activity)).status]).toEqual([200, 200]);
    await ada.waitFor("You're booked!");
    await ada.say("menu", "What would you like to do?"); // handled after the duplicate (in order)
    expect(ada.seen.slice(mark).map((a) => a.text.split(" ")[0])).toEqual(["You're", "What"]);
    expect((await confirmed()).length).toBe(before + 1);
    expect(await db.prisma.inboundEvent.count({ where: { channel: "webchat", externalId: `${ada.conversationId}:${String(activity.id)}` } })).toBe(1);
  });

  it("a malformed body gets 400, a missing or foreign token 401, and the server keeps serving", async () => {
    const events = await db.prisma.inboundEvent.count();
    expect((await ada.post("{this is not json")).status).toBe(400);
    expect((await ada.post({ type: "message", text: "no id, no conversation" })).status).toBe(400);
    const mallory = await Widget.open(origin);
    expect((await mallory.post(ada.activity({ type: "message", text: "menu" }), mallory.token)).status).toBe(401);
    const readOther = await fetch(`${origin}/webhooks/webchat/demo/conversations/${ada.conversationId}/activities`, { headers: { authorization: `Bearer ${mallory.token}` } });
    expect(readOther.status).toBe(401);
    expect((await fetch(`${origin}/webhooks/webchat/demo`, { method: "POST", body: "{}" })).status).toBe(401);
    expect(await db.prisma.inboundEvent.count()).toBe(events);
    const sorry = await ada.post(ada.activity({ type: "messageReaction", reactionsAdded: [{ type: "like" }] }));
    expect(sorry.status).toBe(200);
    const reply = await ada.waitFor("Sorry, I can only read text messages and the buttons.");
    expect(reply.suggestedActions?.actions.length).toBeGreaterThan(0);
    expect(server.child.exitCode).toBeNull();
  });

  it("/api/messages is the first salon's Bot Framework endpoint", async () => {
    const res = await fetch(`${origin}/api/messages`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${ada.token}` }, body: JSON.stringify(ada.activity({ type: "message", text: "menu" })) });
    expect(res.status).toBe(200);
    await ada.waitFor("What would you like to do?");
  });
});
