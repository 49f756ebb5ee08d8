import { createCore, type Core, seedDemoSalon, type TenantView } from "@chairside/core";
import { createTestDatabase, type TestDatabase } from "@chairside/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runSalonAdd, SALON_ADD_USAGE } from "./salon-add.js";

describe("npm run salon:add (real PostgreSQL)", () => {
  let db: TestDatabase;
  let core: Core;
  let demo: TenantView;
  let opened: number;

  beforeEach(async () => {
    db = await createTestDatabase();
    core = createCore(db.prisma);
    demo = (await seedDemoSalon(db.prisma))!;
    opened = 0;
  });
  afterEach(async () => db.drop());

  async function run(argv: string[], env: Record<string, string> = {}) {
    let stdout = "";
    let stderr = "";
    const code = await runSalonAdd(argv, {
      env,
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      openCore: async () => {
        opened++;
        return core;
      },
    });
    return { code, stdout, stderr };
  }
  const flags = ["--name", "Studio Nord", "--slug", "studio-nord", "--time-zone", "Europe/Berlin", "--currency", "EUR", "--country", "DE"];
  const salons = () => db.prisma.tenant.findMany({ orderBy: { createdAt: "asc" }, select: { slug: true } });
  const accounts = () => db.prisma.staffAccount.count();

  it("adds the salon and its owner, and prints a working one-time link, the booking page and the webhooks", async () => {
    const { code, stdout, stderr } = await run(flags);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const salon = await core.catalog.getTenantBySlug("studio-nord");
    expect(salon).toMatchObject({ name: "Studio Nord", timeZone: "Europe/Berlin", currency: "EUR", country: "DE", locale: "en" });

    const token = /http:\/\/localhost:3000\/auth\/link\/(\S+)/.exec(stdout)?.[1];
    const owner = await core.auth.inspectSignInLink(token!);
    expect(owner).toMatchObject({ tenantId: salon.id, email: "owner@studio-nord.chairside.local", role: "owner", hasPassword: false });
    expect(stdout.split(token!)).toHaveLength(2); // the link is printed once
    expect(stdout).toContain("  Owner:    owner@studio-nord.chairside.local\n");
    expect(stdout).toContain("  Booking:  http://localhost:3000/book/studio-nord\n");
    for (const channel of ["telegram", "whatsapp", "viber", "webchat"]) expect(stdout).toContain(`http://localhost:3000/webhooks/${channel}/studio-nord\n`);
    expect(stdout).toContain("Settings → Channels");
    expect(stdout).toContain(`The first salon is still "${demo.name}" (demo)`);
    expect((await core.catalog.getDefaultTenant())?.id).toBe(demo.id);
  });

  it("uses PUBLIC_URL (or PORT), the given locale and owner email", async () => {
    const { code, stdout } = await run([...flags, "--locale", "de-DE", "--owner-email", " Anna@Studio-Nord.Example "], { PUBLIC_URL: "https://salons.example.com/", PORT: "8080" });
    expect(code).toBe(0);
    expect(stdout).toContain("  Owner:    anna@studio-nord.example\n");
    expect(stdout).toMatch(/Sign-in link .*: https:\/\/salons\.example\.com\/auth\/link\/\S+\n/);
    expect(stdout).toContain("  Booking:  https://salons.example.com/book/studio-nord\n");
    expect((await core.catalog.getTenantBySlug("studio-nord")).locale).toBe("de-DE");
    expect((await run([...flags.slice(0, 3), "studio-ost", ...flags.slice(4)], { PORT: "8080" })).stdout).toContain("http://localhost:8080/book/studio-ost\n");
  });

  it("prints the usage for --help without opening the database", async () => {
    expect(await run(["--help"])).toEqual({ code: 0, stdout: SALON_ADD_USAGE, stderr: "" });
    expect(opened).toBe(0);
  });

  it.each([
    ["a missing flag", flags.slice(0, 8), "--country is required"],
    ["an unknown flag", [...flags, "--colour", "red"], "--colour"],
    ["a flag without its value", [...flags, "--slug"], "--slug"],
    ["a flag whose value is missing before the next flag", [...flags.slice(0, 9), "--locale", "de"], "--country"],
    ["a bad slug", [...flags, "--slug", "Studio_Nord"], "--slug: lower-case letters"],
    ["an unknown time zone", [...flags, "--time-zone", "Mars/Base"], '--time-zone: unknown IANA time zone (got "Mars/Base")'],
    ["an unknown currency", [...flags, "--currency", "XYZ"], "--currency: unknown currency"],
    ["a bad locale", [...flags, "--locale", "not a locale"], "--locale:"],
    ["a bad owner email", [...flags, "--owner-email", "owner"], "--owner-email: a valid email address"],
  ])("refuses %s with exit code 1, naming the flag, without writing", async (_what, argv, message) => {
    const { code, stdout, stderr } = await run(argv);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toContain(message);
    expect(opened).toBe(0);
    expect(await salons()).toEqual([{ slug: "demo" }]);
  });

  it("refuses a PUBLIC_URL that is not https, naming it, without writing", async () => {
    const { code, stderr } = await run(flags, { PUBLIC_URL: "http://salons.example.com" });
    expect(code).toBe(1);
    expect(stderr).toContain("PUBLIC_URL must be the https:// address");
    expect(await salons()).toEqual([{ slug: "demo" }]);
  });

  it("refuses a taken slug and an owner email of another salon, leaving nothing behind", async () => {
    await core.auth.ensureOwner({ tenantId: demo.id, email: "owner@demo.chairside.local", name: "Demo owner" });
    const before = await accounts();

    const slugTaken = await run([...flags, "--slug", "demo"]);
    expect(slugTaken).toMatchObject({ code: 1, stdout: "" });
    expect(slugTaken.stderr).toContain('--slug: The slug "demo" is already taken');

    const emailTaken = await run([...flags, "--owner-email", "owner@demo.chairside.local"]);
    expect(emailTaken).toMatchObject({ code: 1, stdout: "" });
    expect(emailTaken.stderr).toContain("--owner-email: An account with the email owner@demo.chairside.local exists already");

    expect(await salons()).toEqual([{ slug: "demo" }]);
    expect(await accounts()).toBe(before);
    expect(await run(flags)).toMatchObject({ code: 0 }); // the slug is free again
  });

  it("keeps the first salon first, even when its createdAt lies ahead of the clock", async () => {
    await db.prisma.$executeRaw`UPDATE "Tenant" SET "createdAt" = now() + interval '1 hour'`;
    expect((await run(flags)).code).toBe(0);
    expect((await run([...flags.slice(0, 3), "studio-ost", ...flags.slice(4)])).code).toBe(0);
    expect((await core.catalog.getDefaultTenant())?.slug).toBe("demo");
    expect(await salons()).toEqual([{ slug: "demo" }, { slug: "studio-nord" }, { slug: "studio-ost" }]);
  });
});
