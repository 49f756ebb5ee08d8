import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCore, type Core } from "../core.js";
import { seedDemoSalon } from "../demo/seed.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";

describe("CatalogAdminService.createSalon (real PostgreSQL)", () => {
  let db: TestDatabase;
  let core: Core;

  beforeEach(async () => {
    db = await createTestDatabase();
    core = createCore(db.prisma);
  });
  afterEach(async () => db.drop());

  const input = { name: "Studio Nord", slug: "studio-nord", timeZone: "Europe/Berlin", currency: "EUR", country: "DE" };

  it("creates a salon with the demo salon's rules and locale, findable by its slug", async () => {
    const salon = await core.catalogAdmin.createSalon(input);
    expect(salon).toEqual({
      id: expect.any(String),
      ...input,
      locale: "en",
      slotStepMinutes: 15,
      minimumNoticeMinutes: 60,
      maximumDaysAhead: 60,
      holdMinutes: 10,
      cancellationCutoffMinutes: 120,
    });
    expect(await core.catalog.getTenantBySlug("studio-nord")).toEqual(salon);
    expect((await core.catalogAdmin.createSalon({ ...input, slug: "studio-sued", locale: "de-de" })).locale).toBe("de-DE");
  });

  it("refuses a taken slug with conflict and writes nothing", async () => {
    const demo = (await seedDemoSalon(db.prisma))!;
    const refused = core.catalogAdmin.createSalon({ ...input, slug: demo.slug });
    await expect(refused).rejects.toMatchObject({ name: "DomainError", code: "conflict", details: { field: "slug", slug: "demo" } });
    expect(await db.prisma.tenant.findMany({ select: { slug: true, name: true } })).toEqual([{ slug: "demo", name: demo.name }]);
  });

  it.each([
    ["timeZone", { timeZone: "Mars/Base" }],
    ["currency", { currency: "XYZ" }],
    ["currency", { currency: "eur" }],
    ["country", { country: "Germany" }],
    ["locale", { locale: "not a locale" }],
    ["slug", { slug: "Studio_Nord" }],
    ["slug", { slug: "-nord" }],
    ["slug", { slug: "x" }],
    ["slug", { slug: "a".repeat(41) }],
    ["name", { name: "  " }],
  ])("refuses a bad %s with invalid_input naming it, and writes nothing", async (field, change) => {
    const refused = core.catalogAdmin.createSalon({ ...input, ...change });
    await expect(refused).rejects.toMatchObject({ code: "invalid_input", details: { issues: expect.arrayContaining([expect.objectContaining({ path: field })]) } });
    expect(await db.prisma.tenant.count()).toBe(0);
  });

  it("keeps the oldest salon first, even when its createdAt lies ahead of the clock", async () => {
    const demo = (await seedDemoSalon(db.prisma))!;
    // A database restored from a server whose clock ran ahead: the first salon looks newer than "now".
    await db.prisma.$executeRaw`UPDATE "Tenant" SET "createdAt" = now() + interval '1 hour'`;
    const added = await core.catalogAdmin.createSalon(input);
    expect((await core.catalog.getDefaultTenant())?.id).toBe(demo.id);
    const rows = await db.prisma.tenant.findMany({ orderBy: { createdAt: "asc" }, select: { id: true } });
    expect(rows.map((r) => r.id)).toEqual([demo.id, added.id]);
  });

  it("lets two salons be added at once with different slugs, and only one with the same slug", async () => {
    const results = await Promise.allSettled([
      core.catalogAdmin.createSalon({ ...input, slug: "same" }),
      core.catalogAdmin.createSalon({ ...input, slug: "same" }),
      core.catalogAdmin.createSalon({ ...input, slug: "other" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "fulfilled", "rejected"]);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "conflict" } });
    expect(await db.prisma.tenant.count()).toBe(2);
  });
});
