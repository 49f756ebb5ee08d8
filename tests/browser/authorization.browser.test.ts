/**
 * Authorization of every signed-in admin route, over HTTP against the real server: without a
 * session, page requests go to the sign-in page and actions and endpoints answer 401; with a role
 * that lacks the section's permission everything answers 403; and nothing in the database changes.
 * Routes are found by walking admin/src/routes/(app), so pages added later are covered too.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { can, type StaffRole } from "@chairside/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { permissionForPath, SECTION_PERMISSIONS } from "../../admin/src/lib/server/access.js";
import { REPO_ROOT } from "../e2e/server-process.js";
import { startApp, type TestApp } from "./harness.js";

const APP_ROUTES = path.join(REPO_ROOT, "admin", "src", "routes", "(app)");
const SOME_ID = "00000000-0000-4000-8000-000000000000";
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

interface RouteInfo {
  /** URL path with parameters filled in, e.g. /clients/00000000-... */
  path: string;
  page: boolean;
  /** Named form actions of +page.server.ts ("default" for the default one). */
  actions: string[];
  endpoint: boolean;
}

/** Every route under (app): its URL path, whether it is a page, its actions, whether it has +server.ts. */
function appRoutes(dir = APP_ROUTES, segments: string[] = []): RouteInfo[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => e.name);
  const out: RouteInfo[] = [];
  const page = files.some((f) => /^\+page(@.*)?\.svelte$/.test(f));
  const endpoint = files.some((f) => /^\+server\.(ts|js)$/.test(f));
  if (page || endpoint) {
    const server = files.find((f) => /^\+page\.server\.(ts|js)$/.test(f));
    const source = server ? readFileSync(path.join(dir, server), "utf8") : "";
    const block = /export const actions[^=]*=\s*{([\s\S]*?)\n};/.exec(source)?.[1] ?? "";
    const actions = [...block.matchAll(/^\t(\w+)\s*[:(]|^\t(?:async\s+)?(\w+)\s*\(/gm)].map((m) => m[1] ?? m[2]!);
    out.push({ path: `/${segments.join("/")}`, page, actions: [...new Set(actions)], endpoint });
  }
  for (const e of entries.filter((x) => x.isDirectory())) {
    const name = e.name;
    const segment = /^\(.*\)$/.test(name) ? null : /^\[.*\]$/.test(name) ? SOME_ID : name;
    out.push(...appRoutes(path.join(dir, name), segment ? [...segments, segment] : segments));
  }
  return out;
}

/** Row counts of every table: a request that changed nothing leaves them equal. */
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

describe("authorization of the signed-in admin (HTTP)", () => {
  let app: TestApp;
  const routes = appRoutes();
  // Every section prefix too, whether or not its pages exist yet: the gate answers before routing.
  for (const [prefix] of SECTION_PERMISSIONS) {
    if (!routes.some((r) => r.path === prefix)) routes.push({ path: prefix, page: true, actions: ["default"], endpoint: false });
  }
  const pages = routes.filter((r) => r.page);

  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => app?.stop());

  /** A request as a browser or a script would make it; `cookie` signs it in. */
  function send(method: string, urlPath: string, options: { cookie?: string; accept?: string; form?: boolean; action?: boolean } = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: options.accept ?? "*/*", origin: app.baseUrl };
    if (options.cookie) headers.cookie = `chairside_session=${options.cookie}`;
    if (options.action) headers["x-sveltekit-action"] = "true";
    const body = method === "GET" || method === "HEAD" ? undefined : options.form === false ? "{}" : new URLSearchParams({ name: "x", id: SOME_ID });
    if (body !== undefined) headers["content-type"] = options.form === false ? "application/json" : "application/x-www-form-urlencoded";
    return fetch(`${app.baseUrl}${urlPath}`, { method, headers, body, redirect: "manual" });
  }

  it("finds the signed-in routes", () => {
    expect(pages.map((r) => r.path)).toContain("/calendar");
    expect(routes.find((r) => r.path === "/settings/channels")).toMatchObject({ page: true, actions: ["connect", "disable", "enable"] });
  });

  it("without a session: pages go to /signin, actions and endpoints answer 401, nothing changes", async () => {
    const before = await rowCounts(app);
    for (const route of routes) {
      if (route.page) {
        const html = await send("GET", route.path, { accept: "text/html" });
        expect([route.path, html.status, html.headers.get("location")]).toEqual([route.path, 303, `/signin?next=${encodeURIComponent(route.path)}`]);
        const data = await send("GET", `${route.path}/__data.json`);
        expect([route.path, data.status, await data.json()]).toEqual([route.path, 200, { type: "redirect", location: `/signin?next=${encodeURIComponent(route.path)}` }]);
        for (const action of new Set([...route.actions, "default", "anything"])) {
          const target = action === "default" ? route.path : `${route.path}?/${action}`;
          const plain = await send("POST", target, { accept: "text/html" });
          expect([target, plain.status]).toEqual([target, 401]);
          const enhanced = await send("POST", target, { accept: "application/json", action: true });
          expect([target, enhanced.status, await enhanced.json()]).toEqual([target, 401, { type: "error", error: { message: "Your session has ended: sign in again", code: "unauthorized" } }]);
        }
      }
      if (route.endpoint || !route.page) {
        for (const method of METHODS) {
          const res = await send(method, route.path, { accept: "application/json", form: false });
          expect([method, route.path, res.status]).toEqual([method, route.path, 401]);
        }
      }
    }
    // A forged or stale cookie is no session either.
    const forged = await send("POST", "/calendar", { cookie: "x".repeat(43), accept: "text/html" });
    expect(forged.status).toBe(401);
    expect(await rowCounts(app)).toEqual(before);
  });

  for (const role of ["staff", "manager"] as const satisfies StaffRole[]) {
    it(`a ${role} gets 403 for every route of a section the role may not use, and nothing changes`, async () => {
      const who = await app.createAccount(role);
      const { token } = await app.core.auth.signIn({ email: who.email, password: who.password, ip: "authorization-test" });
      const forbidden = routes.filter((r) => {
        const permission = permissionForPath(r.path);
        return permission !== null && !can({ role }, permission);
      });
      expect(forbidden.map((r) => r.path)).toContain("/settings");
      const before = await rowCounts(app);
      for (const route of forbidden) {
        if (route.page) {
          const html = await send("GET", route.path, { cookie: token, accept: "text/html" });
          expect([route.path, html.status]).toEqual([route.path, 403]);
          expect(await html.text()).toContain("may not");
          const data = await send("GET", `${route.path}/__data.json`, { cookie: token });
          expect([route.path, data.status]).toEqual([route.path, 403]);
          for (const action of new Set([...route.actions, "default"])) {
            const target = action === "default" ? route.path : `${route.path}?/${action}`;
            const plain = await send("POST", target, { cookie: token, accept: "text/html" });
            expect([target, plain.status]).toEqual([target, 403]);
            const enhanced = await send("POST", target, { cookie: token, accept: "application/json", action: true });
            expect([target, enhanced.status, (await enhanced.json()).type]).toEqual([target, 403, "error"]);
          }
        }
        if (route.endpoint || !route.page) {
          for (const method of METHODS) {
            const res = await send(method, route.path, { cookie: token, accept: "application/json", form: false });
            expect([method, route.path, res.status]).toEqual([method, route.path, 403]);
          }
        }
      }
      expect(await rowCounts(app)).toEqual(before);
    });
  }

  it("a staff member may open the calendar (their own) but not the settings page", async () => {
    const staff = await app.createAccount("staff");
    const { token } = await app.core.auth.signIn({ email: staff.email, password: staff.password, ip: "authorization-test" });
    const calendar = await send("GET", "/calendar", { cookie: token, accept: "text/html" });
    expect(calendar.status).toBe(200);
    const settings = await send("GET", "/settings", { cookie: token, accept: "text/html" });
    expect(settings.status).toBe(403);
  });
});
