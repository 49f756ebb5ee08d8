/**
 * Tenant isolation over HTTP against the real server: the owner of a second salon, signed in,
 * asks for the demo salon's ids (clients, staff, services, products, sales, bookings) on every
 * page, action and endpoint that takes one. Each answers 404, shows nothing of the first salon,
 * and changes nothing. Routes are taken from a list of candidates and kept when their folder
 * exists (pages built later join automatically); the test insists on the ones that exist now.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { createTestSalon } from "@chairside/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../e2e/server-process.js";
import { startApp, type TestApp } from "./harness.js";

const APP_ROUTES = path.join(REPO_ROOT, "admin", "src", "routes", "(app)");

/** A route that takes one of the first salon's ids. */
interface Probe {
  /** Route folder under (app), e.g. "clients/[id]". */
  dir: string;
  /** URL with the first salon's id filled in. */
  url: string;
  /** "page": GET the HTML; "endpoint": GET JSON; otherwise the name of a form action to POST. */
  kind: "page" | "endpoint" | { action: string; form: Record<string, string> };
}

/** Row counts of every table: a refused request leaves them equal. */
async function rowCounts(app: TestApp): Promise<Record<string, number>> {
  const tables = await app.db.prisma.$queryRaw<{ name: string }[]>`
    SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`;
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await app.db.prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${name.replaceAll('"', '""')}"`);
    counts[name] = Number(row!.n);
  }
  return counts;
}

describe("tenant isolation: one salon's ids in another salon's session (HTTP)", () => {
  let app: TestApp;
  let token: string;
  let probes: Probe[];
  /** Texts of the first salon that must never appear in the second salon's answers. */
  const secrets = ["Isolde Secret", "+4529292929", "Isolation shampoo"];

  beforeAll(async () => {
    app = await startApp();
    const core = app.core;
    const tenantId = app.tenant.id;
    // The first (demo) salon's data: a client with a booking, a product, a sale.
    const client = await core.crm.createClient({ tenantId, name: "Isolde Secret", phone: "+4529292929" });
    const anna = await app.db.prisma.staff.findFirstOrThrow({ where: { tenantId, name: "Anna" } });
    const cut = await app.db.prisma.service.findFirstOrThrow({ where: { tenantId, name: "Women's haircut" } });
    const days = await core.availability.findDays({ tenantId, serviceId: cut.id, staffId: anna.id });
    const [slot] = await core.availability.findSlotsOnDay({ tenantId, serviceId: cut.id, staffId: anna.id, date: days[0]!.date });
    const booking = await core.bookings.book({ tenantId, serviceId: cut.id, staffId: anna.id, startsAt: slot!.startsAt, channel: "admin", clientId: client.id, actor: "test" });
    const product = await core.inventory.create({ tenantId, name: "Isolation shampoo", priceMinor: 120_00, stockOnHand: 5, actor: "test" });
    const sale = await core.pos.checkout({
      tenantId,
      clientId: client.id,
      lines: [{ kind: "product", productId: product.id, quantity: 1 }],
      payments: [{ method: "card", amountMinor: 120_00 }],
      actor: "test",
    });

    // The second salon and its owner, signed in.
    const second = await createTestSalon(app.db.prisma, { slug: "second-salon" });
    const owner = await core.auth.createAccount({ tenantId: second.tenantId, email: "owner@second.test", name: "Second Owner", role: "owner" });
    const link = await core.auth.createSignInLink({ tenantId: second.tenantId, accountId: owner.id });
    token = (await core.auth.completeSignInLink({ token: link.token, password: "second owner password" })).token;

    const candidates: Probe[] = [
      { dir: "clients/[id]", url: `/clients/${client.id}`, kind: "page" },
      { dir: "clients/[id]/edit", url: `/clients/${client.id}/edit`, kind: "page" },
      { dir: "clients/[id]/edit", url: `/clients/${client.id}/edit`, kind: { action: "save", form: { name: "Hacked", phone: "", birthday: "", notes: "", tags: "" } } },
      { dir: "clients/[id]/merge", url: `/clients/${client.id}/merge`, kind: "page" },
      { dir: "clients/[id]/merge", url: `/clients/${client.id}/merge`, kind: { action: "merge", form: { mergeId: client.id } } },
      { dir: "settings/staff/[id]", url: `/settings/staff/${anna.id}`, kind: "page" },
      { dir: "settings/staff/[id]", url: `/settings/staff/${anna.id}`, kind: { action: "details", form: { name: "Hacked" } } },
      { dir: "settings/staff/[id]", url: `/settings/staff/${anna.id}`, kind: { action: "hours", form: { "work-1-0-start": "01:00", "work-1-0-end": "02:00" } } },
      { dir: "settings/staff/[id]", url: `/settings/staff/${anna.id}`, kind: { action: "addTimeOff", form: { from: "2030-01-01T09:00", to: "2030-01-02T09:00" } } },
      { dir: "settings/services/[id]", url: `/settings/services/${cut.id}`, kind: "page" },
      { dir: "settings/services/[id]", url: `/settings/services/${cut.id}`, kind: { action: "save", form: { name: "Hacked", durationMinutes: "30", price: "1" } } },
      { dir: "inventory/[id]", url: `/inventory/${product.id}`, kind: "page" },
      { dir: "pos/sales/[saleId]", url: `/pos/sales/${sale.id}`, kind: "page" },
      { dir: "pos/checkout/[bookingId]", url: `/pos/checkout/${booking.id}`, kind: "page" },
      { dir: "calendar/bookings/[id]", url: `/calendar/bookings/${booking.id}`, kind: "endpoint" },
    ];
    probes = candidates.filter((p) => existsSync(path.join(APP_ROUTES, p.dir)));
  });
  afterAll(async () => app?.stop());

  function send(method: "GET" | "POST", url: string, options: { accept: string; form?: Record<string, string> }): Promise<Response> {
    const headers: Record<string, string> = { accept: options.accept, origin: app.baseUrl, cookie: `chairside_session=${token}` };
    if (options.form) headers["content-type"] = "application/x-www-form-urlencoded";
    return fetch(`${app.baseUrl}${url}`, { method, headers, body: options.form ? new URLSearchParams(options.form) : undefined, redirect: "manual" });
  }

  it("covers the routes that take an id", () => {
    const dirs = new Set(probes.map((p) => p.dir));
    for (const mine of ["clients/[id]", "clients/[id]/edit", "clients/[id]/merge", "settings/staff/[id]", "settings/services/[id]"]) expect(dirs).toContain(mine);
  });

  it("every page, action and endpoint answers 404, leaks nothing and changes nothing", async () => {
    const before = await rowCounts(app);
    for (const probe of probes) {
      const res =
        probe.kind === "page"
          ? await send("GET", probe.url, { accept: "text/html" })
          : probe.kind === "endpoint"
            ? await send("GET", probe.url, { accept: "application/json" })
            : await send("POST", `${probe.url}?/${probe.kind.action}`, { accept: "text/html", form: probe.kind.form });
      const body = await res.text();
      const what = `${probe.kind === "page" || probe.kind === "endpoint" ? "GET" : `POST ?/${probe.kind.action}`} ${probe.dir}`;
      expect([what, res.status]).toEqual([what, 404]);
      for (const secret of secrets) expect([what, body.includes(secret)]).toEqual([what, false]);
    }
    expect(await rowCounts(app)).toEqual(before);
  });

  it("lists and searches show only the second salon's own records", async () => {
    for (const url of ["/clients?q=Isolde", "/clients/lookup?q=29292929", "/settings/staff", "/settings/services"]) {
      const res = await send("GET", url, { accept: url.includes("lookup") ? "application/json" : "text/html" });
      expect([url, res.status]).toEqual([url, 200]);
      const body = await res.text();
      for (const secret of [...secrets, "Anna", "Clara", "Beard trim"]) expect([url, secret, body.includes(secret)]).toEqual([url, secret, false]);
    }
  });
});
