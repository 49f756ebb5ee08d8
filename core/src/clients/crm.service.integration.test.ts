import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../clock.js";
import { createCore, type Core } from "../core.js";
import { createTestSalon, type TestSalon } from "../testing/fixtures.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";

const ACTOR = "staff:desk";
const NOW = new Date("2030-03-04T06:00:00Z"); // Monday 07:00 in Copenhagen

describe("CrmService (real PostgreSQL)", () => {
  let db: TestDatabase;
  let core: Core;
  let clock: FixedClock;
  let salon: TestSalon;
  let other: TestSalon;

  beforeAll(async () => {
    db = await createTestDatabase();
    clock = new FixedClock(NOW);
    core = createCore(db.prisma, clock);
    salon = await createTestSalon(db.prisma);
    other = await createTestSalon(db.prisma);
  });
  afterAll(async () => db.drop());

  const book = (clientId: string, iso: string) =>
    core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: salon.staffIds[0]!, startsAt: new Date(iso), channel: "admin", clientId, actor: ACTOR });

  it("creates clients for staff with an unverified phone, and finds them by name or phone digits", async () => {
    const anna = await core.crm.createClient({ tenantId: salon.tenantId, name: "Anna Hansen", phone: "20 12 34 56" });
    expect(anna).toMatchObject({ name: "Anna Hansen", phone: "+4520123456", phoneVerified: false, tags: [], marketingConsent: false, birthday: null });
    await core.crm.createClient({ tenantId: salon.tenantId, name: "Bo Jensen", phone: "+45 20 99 00 01" });
    await core.crm.createClient({ tenantId: other.tenantId, name: "Anna Other", phone: "20 12 34 56" });
    await expect(core.crm.createClient({ tenantId: salon.tenantId, name: "X", phone: "nope" })).rejects.toMatchObject({ code: "invalid_phone" });
    await expect(core.crm.createClient({ tenantId: salon.tenantId, name: " ", phone: "20123456" })).rejects.toMatchObject({ code: "invalid_input" });

    const names = async (query: string) => (await core.crm.search({ tenantId: salon.tenantId, query })).map((c) => c.name);
    expect(await names("anna")).toEqual(["Anna Hansen"]);
    expect(await names("hansen ANNA")).toEqual(["Anna Hansen"]);
    expect(await names("20 12 34")).toEqual(["Anna Hansen"]);
    expect(await names("+45 2012-3456")).toEqual(["Anna Hansen"]);
    expect(await names("0045 20 99")).toEqual(["Bo Jensen"]);
    expect(await names("nobody")).toEqual([]);
    expect(await names("")).toEqual(["Anna Hansen", "Bo Jensen"]);
  });

  it("updates details; a phone changed by staff is unverified, the same phone keeps its verification", async () => {
    const verified = await db.prisma.client.create({ data: { tenantId: salon.tenantId, name: "Vera", phone: "+4540404040", phoneVerified: true } });
    const same = await core.crm.update({ tenantId: salon.tenantId, clientId: verified.id, phone: "40 40 40 40", notes: "Likes tea", tags: ["VIP", " vip ", "colour"] });
    expect(same).toMatchObject({ phone: "+4540404040", phoneVerified: true, notes: "Likes tea", tags: ["VIP", "colour"] });
    const changed = await core.crm.update({ tenantId: salon.tenantId, clientId: verified.id, phone: "40 40 40 41", birthday: "07-14", marketingConsent: true });
    expect(changed).toMatchObject({ phone: "+4540404041", phoneVerified: false, birthday: "2000-07-14", marketingConsent: true });
    expect(await core.crm.update({ tenantId: salon.tenantId, clientId: verified.id, birthday: "1990-02-28", notes: null })).toMatchObject({
      birthday: "1990-02-28",
      notes: null,
    });
    for (const birthday of ["1990-02-30", "13-01", "yesterday"]) {
      await expect(core.crm.update({ tenantId: salon.tenantId, clientId: verified.id, birthday }), birthday).rejects.toMatchObject({ code: "invalid_input" });
    }
    await expect(core.crm.update({ tenantId: other.tenantId, clientId: verified.id, name: "Hijack" })).rejects.toMatchObject({ code: "not_found" });
  });

  it("shows a profile: upcoming and past bookings, visits, no-shows, total spent, messengers", async () => {
    const client = await core.crm.createClient({ tenantId: salon.tenantId, name: "Pia", phone: "50 50 50 50", birthday: "1985-05-01", tags: ["regular"] });
    await db.prisma.clientIdentity.createMany({
      data: [
        { tenantId: salon.tenantId, clientId: client.id, channel: "telegram", externalId: "pia-tg" },
        { tenantId: salon.tenantId, clientId: client.id, channel: "whatsapp", externalId: "4550505050" },
      ],
    });
    // Past: a visit with a sale (then partly refunded) and a no-show; future: one booking.
    const visit = await book(client.id, "2030-03-04T08:00:00Z");
    const noShow = await book(client.id, "2030-03-04T09:00:00Z");
    const upcoming = await book(client.id, "2030-03-12T09:00:00Z");
    const oil = await core.inventory.create({ tenantId: salon.tenantId, name: "Oil", priceMinor: 100_00, stockOnHand: 5, actor: ACTOR });
    clock.set(new Date("2030-03-04T09:05:00Z"));
    const sale = await core.pos.checkout({
      tenantId: salon.tenantId,
      bookingId: visit.id,
      lines: [{ kind: "service", serviceId: salon.cutId, quantity: 1 }, { kind: "product", productId: oil.id, quantity: 2 }],
      discountMinor: 0,
      tipMinor: 25_00,
      payments: [{ method: "card", amountMinor: 525_00 }],
      actor: ACTOR,
    });
    await core.pos.refund({ tenantId: salon.tenantId, saleId: sale.id, lines: [{ saleLineId: sale.lines[1]!.id, quantity: 1 }], method: "card", actor: ACTOR });
    await core.bookings.setStatus({ tenantId: salon.tenantId, bookingId: noShow.id, status: "no_show", actor: ACTOR });
    clock.set(new Date("2030-03-05T06:00:00Z"));

    const profile = await core.crm.getProfile({ tenantId: salon.tenantId, clientId: client.id });
    expect(profile.client).toMatchObject({ name: "Pia", birthday: "1985-05-01", tags: ["regular"], marketingConsent: false });
    expect(profile.upcoming.map((b) => b.id)).toEqual([upcoming.id]);
    expect(profile.past.map((b) => [b.id, b.status])).toEqual([
      [noShow.id, "no_show"],
      [visit.id, "completed"],
    ]);
    expect(profile).toMatchObject({
      visits: 1,
      noShows: 1,
      cancellations: 0,
      lastVisitAt: visit.startsAt,
      totalSpentMinor: 425_00,
      currency: "DKK",
      messengers: ["telegram", "whatsapp"],
    });
    await expect(core.crm.getProfile({ tenantId: other.tenantId, clientId: client.id })).rejects.toMatchObject({ code: "not_found" });
    clock.set(NOW);
  });

  it("merges two records of one person without losing history", async () => {
    clock.set(NOW);
    const keep = await db.prisma.client.create({
      data: { tenantId: salon.tenantId, name: "Mia (Telegram)", phone: "+4560606060", phoneVerified: true, tags: ["vip"], notes: "Allergic to latex" },
    });
    const merge = await db.prisma.client.create({
      data: {
        tenantId: salon.tenantId,
        name: "Mia W",
        phone: "+4560606061",
        phoneVerified: true,
        tags: ["VIP", "colour"],
        notes: "Prefers mornings",
        birthday: new Date("2000-09-09T00:00:00Z"),
        marketingConsent: true,
      },
    });
    const older = await db.prisma.client.create({ data: { tenantId: salon.tenantId, name: "Mia old", mergedIntoId: merge.id } });
    await db.prisma.clientIdentity.create({ data: { tenantId: salon.tenantId, clientId: keep.id, channel: "telegram", externalId: "mia-tg" } });
    await db.prisma.clientIdentity.create({ data: { tenantId: salon.tenantId, clientId: merge.id, channel: "whatsapp", externalId: "4560606061" } });
    const b1 = await book(merge.id, "2030-03-06T08:00:00Z");
    const b2 = await book(keep.id, "2030-03-06T09:00:00Z");
    const sale = await core.pos.checkout({
      tenantId: salon.tenantId,
      clientId: merge.id,
      lines: [{ kind: "service", serviceId: salon.trimId, quantity: 1 }],
      discountMinor: 0,
      tipMinor: 0,
      payments: [{ method: "cash", amountMinor: 150_00 }],
      actor: ACTOR,
    });
    const eventsBefore = await core.bookings.history({ tenantId: salon.tenantId, bookingId: b1.id });

    const merged = await core.crm.merge({ tenantId: salon.tenantId, keepId: keep.id, mergeId: merge.id, actor: ACTOR });
    expect(merged).toMatchObject({
      id: keep.id,
      name: "Mia (Telegram)",
      phone: "+4560606060",
      phoneVerified: true,
      tags: ["vip", "colour"],
      notes: "Allergic to latex\n\nPrefers mornings",
      birthday: "2000-09-09",
      marketingConsent: true,
    });
    expect(await db.prisma.client.findUniqueOrThrow({ where: { id: merge.id } })).toMatchObject({ mergedIntoId: keep.id, phone: "+4560606061" });
    expect(await db.prisma.client.findUniqueOrThrow({ where: { id: older.id } })).toMatchObject({ mergedIntoId: keep.id });

    const profile = await core.crm.getProfile({ tenantId: salon.tenantId, clientId: keep.id });
    expect(profile.upcoming.map((b) => b.id).sort()).toEqual([b1.id, b2.id].sort());
    expect(profile.totalSpentMinor).toBe(150_00);
    expect(profile.messengers).toEqual(["telegram", "whatsapp"]);
    expect(await db.prisma.sale.findUniqueOrThrow({ where: { id: sale.id } })).toMatchObject({ clientId: keep.id });
    // The moved booking keeps its events and gains one saying what happened.
    const eventsAfter = await core.bookings.history({ tenantId: salon.tenantId, bookingId: b1.id });
    expect(eventsAfter.slice(0, eventsBefore.length)).toEqual(eventsBefore);
    expect(eventsAfter.at(-1)).toMatchObject({ type: "client_merged", actor: ACTOR, data: { fromClientId: merge.id, toClientId: keep.id } });

    // The merged record is hidden from search; its old id leads to the survivor.
    expect((await core.crm.search({ tenantId: salon.tenantId, query: "Mia" })).map((c) => c.id)).toEqual([keep.id]);
    expect((await core.crm.getProfile({ tenantId: salon.tenantId, clientId: merge.id })).client.id).toBe(keep.id);
    expect((await core.crm.getProfile({ tenantId: salon.tenantId, clientId: older.id })).client.id).toBe(keep.id);
    // Messenger identities of either record now find the survivor, and so does the merged record's verified phone.
    expect(await core.clients.findByIdentity({ tenantId: salon.tenantId, channel: "whatsapp", externalId: "4560606061" })).toMatchObject({ id: keep.id });
    expect(
      await core.clients.identifyWithVerifiedPhone({ tenantId: salon.tenantId, channel: "viber", externalId: "mia-vb", phone: "+4560606061", name: "Mia V" }),
    ).toMatchObject({ id: keep.id });

    await expect(core.crm.merge({ tenantId: salon.tenantId, keepId: keep.id, mergeId: merge.id, actor: ACTOR })).rejects.toMatchObject({ code: "conflict" });
    await expect(core.crm.merge({ tenantId: salon.tenantId, keepId: keep.id, mergeId: keep.id, actor: ACTOR })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(core.crm.update({ tenantId: salon.tenantId, clientId: merge.id, name: "x" })).rejects.toMatchObject({ code: "not_found" });
  });

  it("hands a verified phone over when the kept record has none", async () => {
    const keep = await core.crm.createClient({ tenantId: salon.tenantId, name: "Walk-in Ole" });
    const merge = await db.prisma.client.create({ data: { tenantId: salon.tenantId, name: "Ole", phone: "+4570707070", phoneVerified: true } });
    const merged = await core.crm.merge({ tenantId: salon.tenantId, keepId: keep.id, mergeId: merge.id, actor: ACTOR });
    expect(merged).toMatchObject({ phone: "+4570707070", phoneVerified: true });
    expect(await db.prisma.client.findUniqueOrThrow({ where: { id: merge.id } })).toMatchObject({ phoneVerified: false, mergedIntoId: keep.id });
    const other2 = await db.prisma.client.create({ data: { tenantId: other.tenantId, name: "Foreign" } });
    await expect(core.crm.merge({ tenantId: salon.tenantId, keepId: keep.id, mergeId: other2.id, actor: ACTOR })).rejects.toMatchObject({ code: "not_found" });
  });
});
