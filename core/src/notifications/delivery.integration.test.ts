import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FixedClock } from "../clock.js";
import { createCore, type Core } from "../core.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";
import { createTestSalon, type TestSalon } from "../testing/fixtures.js";
import { DeliveryError, type OutboundMessage, type Sender, type SenderDirectory } from "./notification.types.js";
import { claimDue } from "./outbox.repository.js";

const at = (iso: string) => new Date(iso);
const NOW = at("2027-03-10T12:00:00Z");

/** A provider stand-in: answers with `script` (in order, then success), counts accepted messages per outbox id. */
class ScriptedSender implements Sender {
  readonly channel = "telegram";
  readonly accepted = new Map<string, number>();
  calls = 0;
  constructor(public script: (Error | "ok")[] = []) {}
  async send(message: OutboundMessage) {
    this.calls++;
    const next = this.script.shift() ?? "ok";
    if (next !== "ok") throw next;
    this.accepted.set(message.outboxId, (this.accepted.get(message.outboxId) ?? 0) + 1);
    return { providerMessageId: `m-${message.outboxId.slice(0, 8)}-${this.calls}` };
  }
}

const directory = (sender: Sender): SenderDirectory => ({ get: (_t, c) => (c === sender.channel ? sender : undefined), channelsOf: () => [sender.channel] });
// No jitter, so backoffs are exact: 30 s, 60 s, 120 s, ...
const OPTIONS = { random: () => 0.5 };

describe("outbox delivery (real PostgreSQL)", () => {
  let db: TestDatabase;
  let core: Core;
  let clock: FixedClock;
  let salon: TestSalon;
  let clientId: string;

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 20 });
  });
  afterAll(async () => db.drop());
  beforeEach(async () => {
    await db.prisma.outboxMessage.deleteMany({});
    clock = new FixedClock(NOW);
    core = createCore(db.prisma, clock);
    salon = await createTestSalon(db.prisma, { staffCount: 1 });
    clientId = (await db.prisma.client.create({ data: { tenantId: salon.tenantId, name: "Ada" } })).id;
    await db.prisma.clientIdentity.create({ data: { tenantId: salon.tenantId, clientId, channel: "telegram", externalId: "9001" } });
  });

  const enqueue = (key: string, extra: Record<string, unknown> = {}) =>
    core.notifications.enqueue([{ tenantId: salon.tenantId, kind: "confirmation", category: "utility", clientId, data: { n: key }, idempotencyKey: key, ...extra }]);
  const row = (key: string) => db.prisma.outboxMessage.findUniqueOrThrow({ where: { tenantId_idempotencyKey: { tenantId: salon.tenantId, idempotencyKey: key } } });

  it("writes each idempotency key once", async () => {
    expect(await enqueue("k1")).toBe(1);
    expect(await enqueue("k1")).toBe(0);
    expect(await db.prisma.outboxMessage.count()).toBe(1);
  });

  it("retries a failing provider with exponential backoff, then delivers exactly once", async () => {
    await enqueue("k1");
    const sender = new ScriptedSender([new Error("HTTP 500"), new Error("HTTP 500"), new Error("HTTP 502")]);
    const seen: [number, string, string | null][] = [];
    for (let i = 0; i < 4; i++) {
      await core.notifications.deliverDue(directory(sender), OPTIONS);
      const r = await row("k1");
      seen.push([r.attempts, r.status === "pending" ? r.nextAttemptAt.toISOString() : r.status, r.lastError]);
      // Not yet due: nothing happens a second before the next attempt.
      clock.set(new Date(r.nextAttemptAt.getTime() - 1000));
      expect((await core.notifications.deliverDue(directory(sender), OPTIONS)).claimed).toBe(0);
      clock.set(r.nextAttemptAt);
    }
    expect(seen).toEqual([
      [1, "2027-03-10T12:00:30.000Z", "Telegram: HTTP 500"],
      [2, "2027-03-10T12:01:30.000Z", "Telegram: HTTP 500"],
      [3, "2027-03-10T12:03:30.000Z", "Telegram: HTTP 502"],
      [4, "sent", null],
    ]);
    expect(sender.calls).toBe(4);
    expect([...sender.accepted.values()]).toEqual([1]);
    expect(await row("k1")).toMatchObject({ channel: "telegram", recipient: "9001", providerMessageId: expect.stringMatching(/^m-/) });
  });

  it("fails for good after the last attempt, and at once on a permanent refusal", async () => {
    await enqueue("flaky");
    const sender = new ScriptedSender(Array.from({ length: 6 }, () => new Error("HTTP 503")));
    for (let i = 0; i < 6; i++) {
      await core.notifications.deliverDue(directory(sender), { ...OPTIONS, backoffBaseMs: 1000 });
      clock.advanceMinutes(10);
    }
    expect(await row("flaky")).toMatchObject({ status: "failed", attempts: 6, lastError: "Telegram: HTTP 503 (after 6 attempts); the client has no other messenger" });

    await enqueue("blocked");
    await core.notifications.deliverDue(directory(new ScriptedSender([new DeliveryError("403 Forbidden: bot was blocked by the user", true)])), OPTIONS);
    expect(await row("blocked")).toMatchObject({ status: "failed", attempts: 1, lastError: "Telegram: 403 Forbidden: bot was blocked by the user; the client has no other messenger" });
  });

  it("fails a client without any messenger with the reason, and waits for a channel the salon has not set up", async () => {
    const lonely = await db.prisma.client.create({ data: { tenantId: salon.tenantId, name: "Bo" } });
    await enqueue("nobody", { clientId: lonely.id });
    const viberOnly = await db.prisma.client.create({ data: { tenantId: salon.tenantId, name: "Cy" } });
    await db.prisma.clientIdentity.create({ data: { tenantId: salon.tenantId, clientId: viberOnly.id, channel: "viber", externalId: "v1" } });
    await enqueue("viber", { clientId: viberOnly.id });
    await core.notifications.deliverDue(directory(new ScriptedSender()), OPTIONS);
    expect(await row("nobody")).toMatchObject({ status: "failed", lastError: "client has no messenger" });
    expect(await row("viber")).toMatchObject({ status: "pending", attempts: 1, lastError: "no sender is set up for the client's messenger (viber)" });
  });

  it("sends a row again when its worker died mid-send, unless a status report carrying its id arrived", async () => {
    await enqueue("lost");
    await enqueue("reported");
    // A worker claims both and dies before calling the provider (lost) / after it (reported).
    const claimed = await claimDue(db.prisma, { now: clock.now(), leaseMs: 60_000, limit: 10 });
    expect(claimed).toHaveLength(2);
    const reported = (await row("reported")).id;
    await db.prisma.outboxMessage.update({ where: { id: reported }, data: { channel: "telegram", recipient: "9001" } });
    // The provider's "sent" report names our outbox id (WhatsApp biz_opaque_callback_data).
    const status = await core.notifications.applyDeliveryStatus({ channel: "telegram", providerMessageId: "wamid.1", status: "sent", outboxId: reported });
    expect(status).toMatchObject({ status: "sent", providerMessageId: "wamid.1" });

    const sender = new ScriptedSender();
    expect((await core.notifications.deliverDue(directory(sender), OPTIONS)).claimed).toBe(0); // leases hold
    clock.advanceMinutes(1);
    expect(await core.notifications.deliverDue(directory(sender), OPTIONS)).toMatchObject({ claimed: 1, sent: 1 });
    expect(await row("lost")).toMatchObject({ status: "sent", attempts: 2 });
    expect(sender.accepted.has(reported)).toBe(false);
  });

  it("applies delivery statuses forward only; a failure keeps the provider's reason", async () => {
    await enqueue("a");
    await core.notifications.deliverDue(directory(new ScriptedSender()), OPTIONS);
    const { providerMessageId } = await row("a");
    const apply = (status: "sent" | "delivered" | "read" | "failed", error?: { code: string; message: string }) =>
      core.notifications.applyDeliveryStatus({ channel: "telegram", providerMessageId: providerMessageId!, status, error });
    expect(await apply("read")).toMatchObject({ status: "read" });
    expect(await apply("delivered")).toBeNull();
    expect(await apply("sent")).toBeNull();
    expect(await row("a")).toMatchObject({ status: "read", readAt: NOW, deliveredAt: null });
    expect(await core.notifications.applyDeliveryStatus({ channel: "telegram", providerMessageId: "unknown", status: "delivered" })).toBeNull();

    await enqueue("b");
    await core.notifications.deliverDue(directory(new ScriptedSender()), OPTIONS);
    const b = await row("b");
    expect(
      await core.notifications.applyDeliveryStatus({ channel: "telegram", providerMessageId: b.providerMessageId!, status: "failed", error: { code: "131047", message: "Re-engagement message" } }),
    ).toMatchObject({ status: "failed", lastError: "Telegram 131047: Re-engagement message; the client has no other messenger" });
  });

  it("lets staff retry a failed message", async () => {
    await enqueue("r");
    await core.notifications.deliverDue(directory(new ScriptedSender([new DeliveryError("400 Bad Request: chat not found", true)])), OPTIONS);
    const failed = await row("r");
    await expect(core.notifications.retry({ tenantId: salon.tenantId, id: (await enqueue("other"), (await row("other")).id) })).rejects.toMatchObject({ code: "conflict" });
    expect(await core.notifications.retry({ tenantId: salon.tenantId, id: failed.id })).toMatchObject({ status: "pending", attempts: 0 });
    await core.notifications.deliverDue(directory(new ScriptedSender()), OPTIONS);
    expect(await row("r")).toMatchObject({ status: "sent" });
    expect((await core.notifications.list({ tenantId: salon.tenantId, status: "sent" })).map((m) => m.idempotencyKey).sort()).toEqual(["other", "r"]);
  });

  it("never hands a row to two concurrent workers", async () => {
    await core.notifications.enqueue(
      Array.from({ length: 300 }, (_, i) => ({ tenantId: salon.tenantId, kind: "confirmation", category: "utility" as const, clientId, data: {}, idempotencyKey: `c${i}` })),
    );
    const sender = new ScriptedSender();
    const worker = async () => {
      while ((await core.notifications.deliverDue(directory(sender), { ...OPTIONS, batchSize: 25, concurrency: 4 })).claimed > 0);
    };
    await Promise.all([worker(), worker(), worker()]);
    expect(sender.accepted.size).toBe(300);
    expect([...sender.accepted.values()].every((n) => n === 1)).toBe(true);
    expect(await db.prisma.outboxMessage.count({ where: { status: "sent" } })).toBe(300);
  });
});
