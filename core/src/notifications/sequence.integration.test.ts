import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FixedClock } from "../clock.js";
import { createCore, type Core } from "../core.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";
import { createTestSalon, type TestSalon } from "../testing/fixtures.js";
import type { OutboundMessage, Sender, SenderDirectory } from "./notification.types.js";

const at = (iso: string) => new Date(iso);

/** A sender that records what it was handed and when (by the test's clock). */
class RecordingSender implements Sender {
  readonly channel = "telegram";
  readonly sent: { kind: string; at: string; message: OutboundMessage }[] = [];
  constructor(private readonly clock: FixedClock) {}
  async send(message: OutboundMessage) {
    this.sent.push({ kind: message.kind, at: this.clock.now().toISOString(), message });
    return { providerMessageId: `tg-${this.sent.length}` };
  }
}

const directory = (sender: Sender): SenderDirectory => ({ get: (_t, channel) => (channel === sender.channel ? sender : undefined), channelsOf: () => [sender.channel] });

describe("the reminder sequence (real PostgreSQL, a clock the test moves)", () => {
  let db: TestDatabase;
  let core: Core;
  let clock: FixedClock;
  let salon: TestSalon;
  let sender: RecordingSender;
  let clientId: string;

  // A database per test: the periodic jobs look at every salon in it.
  beforeEach(async () => {
    db = await createTestDatabase();
    clock = new FixedClock(at("2027-03-26T11:00:00Z")); // Friday 12:00 CET, two days before the spring DST change
    core = createCore(db.prisma, clock);
    salon = await createTestSalon(db.prisma, { staffCount: 1 });
    sender = new RecordingSender(clock);
    const client = await db.prisma.client.create({
      data: { tenantId: salon.tenantId, name: "Ada", phone: "+4520000001", marketingConsent: true, birthday: new Date("2000-05-03") },
    });
    clientId = client.id;
    await db.prisma.clientIdentity.create({ data: { tenantId: salon.tenantId, clientId, channel: "telegram", externalId: "7001" } });
  });
  afterEach(async () => db.drop());

  /** What the job worker does at each moment: plan greetings (each full hour), mark no-shows, deliver what is due. */
  const runDueWork = async () => {
    if (clock.now().getUTCMinutes() === 0) await core.notifications.planPeriodic();
    await core.notifications.markNoShows();
    while ((await core.notifications.deliverDue(directory(sender))).claimed > 0);
  };
  /** Moves the clock to `until` in steps of `stepMinutes`, doing the due work at every step. */
  const walk = async (until: string, stepMinutes: number) => {
    while (clock.now() < at(until)) {
      clock.advanceMinutes(stepMinutes);
      if (clock.now() > at(until)) clock.set(at(until));
      await runDueWork();
    }
  };
  const book = (startsAt: string, channel = "admin", actor = "staff:desk") =>
    core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: salon.staffIds[0]!, startsAt: at(startsAt), channel, clientId, actor });
  const rows = (bookingId?: string) =>
    db.prisma.outboxMessage.findMany({ where: { tenantId: salon.tenantId, ...(bookingId ? { bookingId } : {}) }, orderBy: [{ notBefore: "asc" }, { kind: "asc" }] });

  it("sends the whole sequence of one booking across the DST change, each message once, at its local time", async () => {
    // Monday 2027-03-29 10:00 CEST (08:00Z), booked at the desk on Friday.
    const booking = await book("2027-03-29T08:00:00Z");
    await runDueWork();
    await walk("2027-03-29T08:00:00Z", 15);
    await core.bookings.setStatus({ tenantId: salon.tenantId, bookingId: booking.id, status: "arrived", actor: "staff:desk" });
    await walk("2027-03-29T09:05:00Z", 5);
    await core.bookings.setStatus({ tenantId: salon.tenantId, bookingId: booking.id, status: "completed", actor: "staff:desk" });
    await walk("2027-03-30T00:00:00Z", 15);
    await walk("2027-05-05T00:00:00Z", 120);

    expect(sender.sent.map((s) => [s.kind, s.at])).toEqual([
      ["confirmation", "2027-03-26T11:00:00.000Z"], // at once (Friday 12:00 CET)
      ["reminder_24h", "2027-03-28T08:00:00.000Z"], // Sunday 10:00 CEST: the same wall-clock time the day before, after the change
      ["reminder_1h", "2027-03-29T07:00:00.000Z"], // Monday 09:00 CEST
      ["thank_you", "2027-03-29T10:05:00.000Z"], // an hour after checkout
      ["reactivation", "2027-04-28T08:00:00.000Z"], // 30 days after the visit, at 10:00 local
      ["birthday", "2027-05-03T08:00:00.000Z"], // 3 May, 10:00 local
    ]);
    const reminder = sender.sent.find((s) => s.kind === "reminder_1h")!.message;
    expect(reminder).toMatchObject({ channel: "telegram", recipient: "7001", attempt: 1 });
    expect(reminder.data).toMatchObject({ bookingId: booking.id, serviceName: "Cut", staffName: "S1", salonName: "Test Salon", zone: "Europe/Copenhagen", actions: ["confirm", "reschedule", "cancel"] });
    expect(new Set(sender.sent.map((s) => s.message.outboxId)).size).toBe(sender.sent.length);
    expect((await rows()).map((r) => r.status)).toEqual(["sent", "sent", "sent", "sent", "sent", "sent"]);
    expect((await core.bookings.getBooking({ tenantId: salon.tenantId, bookingId: booking.id })).status).toBe("completed");
  }, 120_000); // about 800 steps of the clock, each with the due work

  it("marks a booking no-show 15 minutes after its start when staff did not mark the client arrived", async () => {
    const booking = await book("2027-03-29T08:00:00Z");
    await walk("2027-03-29T08:14:00Z", 60 * 24);
    await runDueWork();
    expect((await core.bookings.getBooking({ tenantId: salon.tenantId, bookingId: booking.id })).status).toBe("confirmed");
    clock.set(at("2027-03-29T08:15:00Z"));
    await runDueWork();
    expect((await core.bookings.getBooking({ tenantId: salon.tenantId, bookingId: booking.id })).status).toBe("no_show");
    const history = await core.bookings.history({ tenantId: salon.tenantId, bookingId: booking.id });
    expect(history.at(-1)).toMatchObject({ type: "no_show", actor: "system" });
  });

  it("moves the pending reminders when a booking is rescheduled, and revives them when it moves back", async () => {
    const booking = await book("2027-03-29T08:00:00Z");
    await runDueWork(); // the confirmation goes
    clock.set(at("2027-03-27T10:00:00Z"));
    await core.bookings.reschedule({ tenantId: salon.tenantId, bookingId: booking.id, startsAt: at("2027-03-30T12:00:00Z"), actor: "staff:desk" });
    const after = await rows(booking.id);
    expect(after.map((r) => [r.kind, r.status, r.notBefore.toISOString(), r.lastError])).toEqual([
      ["confirmation", "sent", "2027-03-26T11:00:00.000Z", null],
      ["rescheduled", "pending", "2027-03-27T10:00:00.000Z", null],
      ["reminder_24h", "cancelled", "2027-03-28T08:00:00.000Z", "booking rescheduled"],
      ["reminder_1h", "cancelled", "2027-03-29T07:00:00.000Z", "booking rescheduled"],
      ["reminder_24h", "pending", "2027-03-29T12:00:00.000Z", null],
      ["reminder_1h", "pending", "2027-03-30T11:00:00.000Z", null],
    ]);
    expect(after.find((r) => r.kind === "rescheduled")!.data).toMatchObject({ previousStartsAt: "2027-03-29T08:00:00.000Z", startsAt: "2027-03-30T12:00:00.000Z" });

    await core.bookings.reschedule({ tenantId: salon.tenantId, bookingId: booking.id, startsAt: at("2027-03-29T08:00:00Z"), actor: "staff:desk" });
    const back = (await rows(booking.id)).filter((r) => r.status === "pending").map((r) => [r.kind, r.notBefore.toISOString()]);
    expect(back).toEqual([
      ["rescheduled", "2027-03-27T10:00:00.000Z"],
      ["reminder_24h", "2027-03-28T08:00:00.000Z"],
      ["reminder_1h", "2027-03-29T07:00:00.000Z"],
    ]);
    await walk("2027-03-29T07:30:00Z", 30);
    expect(sender.sent.map((s) => [s.kind, s.at])).toEqual([
      ["confirmation", "2027-03-26T11:00:00.000Z"],
      ["rescheduled", "2027-03-27T10:30:00.000Z"],
      ["reminder_24h", "2027-03-28T08:00:00.000Z"],
      ["reminder_1h", "2027-03-29T07:00:00.000Z"],
    ]);
  });

  it("drops the pending reminders of a cancelled booking and tells the client", async () => {
    const booking = await book("2027-03-29T08:00:00Z");
    await runDueWork();
    await core.bookings.cancel({ tenantId: salon.tenantId, bookingId: booking.id, actor: "staff:desk", reason: "staff ill" });
    expect((await rows(booking.id)).map((r) => [r.kind, r.status])).toEqual([
      ["cancelled", "pending"],
      ["confirmation", "sent"],
      ["reminder_24h", "cancelled"],
      ["reminder_1h", "cancelled"],
    ]);
    await walk("2027-03-30T00:00:00Z", 60);
    expect(sender.sent.map((s) => s.kind)).toEqual(["confirmation", "cancelled"]);
  });

  it("keeps quiet hours: a booking made at 22:30 is confirmed at 09:00, unless the appointment comes first", async () => {
    clock.set(at("2027-03-10T21:30:00Z")); // Wednesday 22:30 CET
    const tomorrow = await book("2027-03-11T13:00:00Z"); // Thursday 14:00
    await runDueWork();
    expect(sender.sent).toEqual([]);
    await walk("2027-03-11T07:59:00Z", 29);
    expect(sender.sent).toEqual([]);
    await walk("2027-03-11T08:00:00Z", 1);
    expect(sender.sent.map((s) => [s.kind, s.at])).toEqual([["confirmation", "2027-03-11T08:00:00.000Z"]]);
    expect((await rows(tomorrow.id)).map((r) => [r.kind, r.notBefore.toISOString()])).toEqual([
      ["confirmation", "2027-03-11T08:00:00.000Z"],
      ["reminder_1h", "2027-03-11T12:00:00.000Z"],
    ]);
    // A booking made and cancelled within the quiet hours: the client never heard of it, and does not now.
    clock.set(at("2027-03-11T21:00:00Z"));
    const mistake = await book("2027-03-15T13:00:00Z");
    await core.bookings.cancel({ tenantId: salon.tenantId, bookingId: mistake.id, actor: "staff:desk" });
    expect((await rows(mistake.id)).map((r) => [r.kind, r.status])).toEqual([
      ["confirmation", "cancelled"],
      ["reminder_24h", "cancelled"],
      ["reminder_1h", "cancelled"],
    ]);
  });

  it("gives a booking made 3 hours ahead only the 1 h reminder, and none of the chat's own confirmations", async () => {
    clock.set(at("2027-03-29T05:00:00Z")); // Monday 07:00 CEST
    const booking = await book("2027-03-29T08:00:00Z", "telegram", `client:${clientId}`);
    expect((await rows(booking.id)).map((r) => [r.kind, r.notBefore.toISOString()])).toEqual([["reminder_1h", "2027-03-29T07:00:00.000Z"]]);
  });

  it("STOP: no reminders, thank-yous or offers any more; notices of staff changes still go", async () => {
    const booking = await book("2027-03-29T08:00:00Z");
    expect(await core.notifications.optOut({ tenantId: salon.tenantId, channel: "telegram", externalId: "7001" })).toEqual({ clientId });
    expect(await db.prisma.client.findUniqueOrThrow({ where: { id: clientId } })).toMatchObject({ marketingConsent: false, remindersOptOut: true });
    expect((await rows(booking.id)).map((r) => [r.kind, r.status, r.lastError])).toEqual([
      ["confirmation", "pending", null],
      ["reminder_24h", "cancelled", "the client opted out (STOP)"],
      ["reminder_1h", "cancelled", "the client opted out (STOP)"],
    ]);
    const second = await book("2027-03-30T08:00:00Z");
    expect((await rows(second.id)).map((r) => r.kind)).toEqual(["confirmation"]);
    await walk("2027-05-05T00:00:00Z", 60 * 6);
    expect(sender.sent.map((s) => s.kind)).toEqual(["confirmation", "confirmation"]);
    expect(await core.notifications.optOut({ tenantId: salon.tenantId, channel: "telegram", externalId: "unknown" })).toEqual({ clientId: null });
  });

  it("sends birthday greetings only with marketing consent, checked again when they go", async () => {
    const other = await db.prisma.client.create({ data: { tenantId: salon.tenantId, name: "Bo", birthday: new Date("1990-05-03"), marketingConsent: false } });
    await db.prisma.clientIdentity.create({ data: { tenantId: salon.tenantId, clientId: other.id, channel: "telegram", externalId: "7002" } });
    clock.set(at("2027-05-03T04:00:00Z")); // 06:00 CEST
    expect(await core.notifications.planPeriodic()).toEqual({ birthdays: 1, reactivations: 0 });
    expect(await core.notifications.planPeriodic()).toEqual({ birthdays: 0, reactivations: 0 });
    await db.prisma.client.update({ where: { id: clientId }, data: { marketingConsent: false } });
    clock.set(at("2027-05-03T08:00:00Z"));
    await core.notifications.deliverDue(directory(sender));
    expect(sender.sent).toEqual([]);
    expect((await rows()).map((r) => [r.kind, r.status, r.lastError])).toEqual([["birthday", "cancelled", "the client has not consented to marketing messages"]]);
  });

  it("follows the salon's settings and refuses invalid ones", async () => {
    await core.notifications.updateSettings(salon.tenantId, { enabled: { confirmation: false, reminder_24h: false }, reminderOffsets: { reminder_1h: 120 } });
    const booking = await book("2027-03-29T11:00:00Z"); // 13:00 CEST: the reminder two hours before, 11:00
    expect((await rows(booking.id)).map((r) => [r.kind, r.notBefore.toISOString()])).toEqual([["reminder_1h", "2027-03-29T09:00:00.000Z"]]);
    expect((await core.notifications.getSettings(salon.tenantId)).enabled).toMatchObject({ confirmation: false, reminder_24h: false, reminder_1h: true });
    await expect(core.notifications.updateSettings(salon.tenantId, { quietHours: { startMinute: 1440 } })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("quietHours.startMinute"),
    });
  });
});
