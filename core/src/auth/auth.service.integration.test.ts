import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FixedClock } from "../clock.js";
import { createCore, type Core } from "../core.js";
import { DomainError } from "../errors.js";
import { createTestSalon, type TestSalon } from "../testing/fixtures.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";
import type { AccountView, RateLimitedDetails } from "./auth.types.js";
import { prepareOwnerAccess } from "./owner-access.js";
import { hashToken } from "./tokens.js";

const START = new Date("2030-03-04T07:00:00Z");
const PASSWORD = "correct horse battery";
const IP = "203.0.113.7";

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const e = await promise.then(
    () => new Error("expected a rejection"),
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

describe("AuthService (real PostgreSQL)", () => {
  let db: TestDatabase;
  let core: Core;
  let clock: FixedClock;
  let salon: TestSalon;
  let n = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());
  beforeEach(async () => {
    clock = new FixedClock(START);
    core = createCore(db.prisma, clock);
    salon = await createTestSalon(db.prisma);
  });

  /** A fresh account of the test salon with `PASSWORD` set through a link. */
  async function accountWithPassword(role: AccountView["role"] = "staff"): Promise<AccountView> {
    const account = await core.auth.createAccount({ tenantId: salon.tenantId, email: `Person${++n}@Example.test`, name: `Person ${n}`, role });
    const link = await core.auth.createSignInLink({ tenantId: salon.tenantId, accountId: account.id });
    await core.auth.completeSignInLink({ token: link.token, password: PASSWORD });
    return { ...account, hasPassword: true };
  }

  describe("accounts", () => {
    it("lower-cases emails, starts without a password and refuses a taken email", async () => {
      const account = await core.auth.createAccount({ tenantId: salon.tenantId, email: " Anna@Salon.TEST ", name: "Anna", role: "manager" });
      expect(account).toMatchObject({ email: "anna@salon.test", role: "manager", hasPassword: false, disabled: false, staffId: null });
      const e = await failure(core.auth.createAccount({ tenantId: salon.tenantId, email: "anna@salon.test", name: "Other", role: "staff" }));
      expect(e.code).toBe("conflict");
    });

    it("links a staff member of the same salon only", async () => {
      const linked = await core.auth.createAccount({ tenantId: salon.tenantId, email: `s${++n}@x.test`, name: "S", role: "staff", staffId: salon.staffIds[0] });
      expect(linked.staffId).toBe(salon.staffIds[0]);
      const other = await createTestSalon(db.prisma);
      const e = await failure(core.auth.createAccount({ tenantId: salon.tenantId, email: `s${++n}@x.test`, name: "S", role: "staff", staffId: other.staffIds[0] }));
      expect(e.code).toBe("not_found");
    });

    it("lists a salon's accounts, owners first, and not another salon's", async () => {
      await core.auth.createAccount({ tenantId: salon.tenantId, email: `z${++n}@x.test`, name: "Zed", role: "staff" });
      await core.auth.createAccount({ tenantId: salon.tenantId, email: `o${++n}@x.test`, name: "Olga", role: "owner" });
      await core.auth.createAccount({ tenantId: salon.tenantId, email: `m${++n}@x.test`, name: "Mia", role: "manager" });
      const other = await createTestSalon(db.prisma);
      await core.auth.createAccount({ tenantId: other.tenantId, email: `q${++n}@x.test`, name: "Quinn", role: "owner" });
      expect((await core.auth.listAccounts(salon.tenantId)).map((a) => a.name)).toEqual(["Olga", "Mia", "Zed"]);
      const foreign = (await core.auth.listAccounts(other.tenantId))[0]!;
      expect((await failure(core.auth.getAccount(salon.tenantId, foreign.id))).code).toBe("not_found");
    });
  });

  describe("one-time sign-in links", () => {
    it("sets a password once, signs in, and cannot be used again", async () => {
      const account = await core.auth.createAccount({ tenantId: salon.tenantId, email: `l${++n}@x.test`, name: "L", role: "owner" });
      const link = await core.auth.createSignInLink({ tenantId: salon.tenantId, accountId: account.id });
      expect(link.expiresAt).toEqual(new Date(START.getTime() + 24 * 3600_000));
      expect(await core.auth.inspectSignInLink(link.token)).toMatchObject({ id: account.id });

      const grant = await core.auth.completeSignInLink({ token: link.token, password: PASSWORD });
      expect(grant.account).toMatchObject({ id: account.id, hasPassword: true });
      expect(await core.auth.authenticate(grant.token)).toMatchObject({ account: { id: account.id }, tenant: { id: salon.tenantId } });

      expect(await core.auth.inspectSignInLink(link.token)).toBeNull();
      expect((await failure(core.auth.completeSignInLink({ token: link.token, password: "another password" }))).code).toBe("unauthorized");
      expect((await failure(core.auth.consumeSignInLink(link.token))).code).toBe("unauthorized");
      // The database holds hashes only.
      const stored = await db.prisma.signInLink.findFirstOrThrow({ where: { accountId: account.id } });
      expect(stored.tokenHash).toBe(hashToken(link.token));
      const row = await db.prisma.staffAccount.findUniqueOrThrow({ where: { id: account.id } });
      expect(row.passwordHash).toMatch(/^\$argon2id\$/);
      expect(row.passwordHash).not.toContain(PASSWORD);
    });

    it("consumeSignInLink uses the link up exactly once", async () => {
      const account = await core.auth.createAccount({ tenantId: salon.tenantId, email: `c${++n}@x.test`, name: "C", role: "staff" });
      const link = await core.auth.createSignInLink({ tenantId: salon.tenantId, accountId: account.id });
      const results = await Promise.allSettled([core.auth.consumeSignInLink(link.token), core.auth.consumeSignInLink(link.token)]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    });

    it("expires", async () => {
      const account = await core.auth.createAccount({ tenantId: salon.tenantId, email: `e${++n}@x.test`, name: "E", role: "staff" });
      const link = await core.auth.createSignInLink({ tenantId: salon.tenantId, accountId: account.id, ttlMinutes: 60 });
      clock.advanceMinutes(60);
      expect(await core.auth.inspectSignInLink(link.token)).toBeNull();
      expect((await failure(core.auth.completeSignInLink({ token: link.token, password: PASSWORD }))).code).toBe("unauthorized");
      expect((await core.auth.getAccount(salon.tenantId, account.id)).hasPassword).toBe(false);
    });

    it("a newer link replaces an unused older one", async () => {
      const account = await core.auth.createAccount({ tenantId: salon.tenantId, email: `r${++n}@x.test`, name: "R", role: "staff" });
      const first = await core.auth.createSignInLink({ tenantId: salon.tenantId, accountId: account.id });
      const second = await core.auth.createSignInLink({ tenantId: salon.tenantId, accountId: account.id });
      expect(await core.auth.inspectSignInLink(first.token)).toBeNull();
      expect(await core.auth.inspectSignInLink(second.token)).not.toBeNull();
    });

    it("refuses a too short password without using the link up", async () => {
      const account = await core.auth.createAccount({ tenantId: salon.tenantId, email: `p${++n}@x.test`, name: "P", role: "staff" });
      const link = await core.auth.createSignInLink({ tenantId: salon.tenantId, accountId: account.id });
      const e = await failure(core.auth.completeSignInLink({ token: link.token, password: "short" }));
      expect(e.code).toBe("invalid_input");
      expect((e.details as { issues: { path: string }[] }).issues[0]!.path).toBe("password");
      expect(await core.auth.inspectSignInLink(link.token)).not.toBeNull();
    });

    it("refuses a link of another salon's account at creation", async () => {
      const other = await createTestSalon(db.prisma);
      const foreign = await core.auth.createAccount({ tenantId: other.tenantId, email: `f${++n}@x.test`, name: "F", role: "owner" });
      expect((await failure(core.auth.createSignInLink({ tenantId: salon.tenantId, accountId: foreign.id }))).code).toBe("not_found");
    });
  });

  describe("sign-in", () => {
    it("signs in with the right password, case-insensitively on the email", async () => {
      const account = await accountWithPassword("manager");
      const grant = await core.auth.signIn({ email: account.email.toUpperCase(), password: PASSWORD, ip: IP });
      expect(grant.account.id).toBe(account.id);
      expect(grant.expiresAt).toEqual(new Date(START.getTime() + 30 * 24 * 3600_000));
      const context = await core.auth.authenticate(grant.token);
      expect(context?.account.role).toBe("manager");
      expect(context?.tenant.slug).toBe(salon.slug);
    });

    it("gives the same error for a wrong password, an unknown email and an account without a password", async () => {
      const account = await accountWithPassword();
      const noPassword = await core.auth.createAccount({ tenantId: salon.tenantId, email: `np${++n}@x.test`, name: "NP", role: "staff" });
      const errors = await Promise.all([
        failure(core.auth.signIn({ email: account.email, password: "wrong password!", ip: IP })),
        failure(core.auth.signIn({ email: `nobody${++n}@x.test`, password: PASSWORD, ip: IP })),
        failure(core.auth.signIn({ email: noPassword.email, password: PASSWORD, ip: IP })),
      ]);
      expect(errors.map((e) => [e.code, e.message])).toEqual(Array(3).fill(["unauthorized", "Wrong email or password"]));
    });

    it("refuses empty fields as invalid input", async () => {
      const e = await failure(core.auth.signIn({ email: " ", password: "", ip: IP }));
      expect(e.code).toBe("invalid_input");
      expect((e.details as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(["email", "password"]);
    });

    it("refuses a disabled account and its sessions", async () => {
      const account = await accountWithPassword();
      const grant = await core.auth.signIn({ email: account.email, password: PASSWORD, ip: IP });
      await db.prisma.staffAccount.update({ where: { id: account.id }, data: { disabledAt: START } });
      expect(await core.auth.authenticate(grant.token)).toBeNull();
      expect((await failure(core.auth.signIn({ email: account.email, password: PASSWORD, ip: IP }))).code).toBe("unauthorized");
    });
  });

  describe("rate limiting", () => {
    it("refuses the 6th attempt after 5 failures for an email, even with the right password, and says when to retry", async () => {
      const account = await accountWithPassword();
      for (let i = 0; i < 5; i++) {
        expect((await failure(core.auth.signIn({ email: account.email, password: `wrong ${i} attempt`, ip: `198.51.100.${i}` }))).code).toBe("unauthorized");
        clock.advanceMinutes(1);
      }
      // Failures at +0..+4 min; now +5 min: the first one ages out at +15 min.
      const limited = await failure(core.auth.signIn({ email: account.email, password: PASSWORD, ip: IP }));
      expect(limited.code).toBe("rate_limited");
      expect(limited.details).toEqual({ retryAfterSeconds: 600, limit: "email" } satisfies RateLimitedDetails);
      expect(limited.message).toContain("10 minutes");

      clock.advanceMinutes(9);
      expect((await failure(core.auth.signIn({ email: account.email, password: PASSWORD, ip: IP }))).details).toEqual({ retryAfterSeconds: 60, limit: "email" });
      clock.advanceMinutes(1);
      const grant = await core.auth.signIn({ email: account.email, password: PASSWORD, ip: IP });
      expect(grant.account.id).toBe(account.id);
    });

    it("a success clears the email's failures", async () => {
      const account = await accountWithPassword();
      for (let i = 0; i < 4; i++) await failure(core.auth.signIn({ email: account.email, password: "nope nope nope", ip: IP }));
      await core.auth.signIn({ email: account.email, password: PASSWORD, ip: IP });
      for (let i = 0; i < 5; i++) {
        expect((await failure(core.auth.signIn({ email: account.email, password: "nope nope nope", ip: IP }))).code).toBe("unauthorized");
      }
      expect((await failure(core.auth.signIn({ email: account.email, password: "nope nope nope", ip: IP }))).code).toBe("rate_limited");
    });

    it("limits one IP address to 20 failures across emails", async () => {
      const ip = "192.0.2.99";
      for (let i = 0; i < 20; i++) {
        expect((await failure(core.auth.signIn({ email: `guess${i}-${++n}@x.test`, password: "guess guess", ip }))).code).toBe("unauthorized");
      }
      const account = await accountWithPassword();
      const limited = await failure(core.auth.signIn({ email: account.email, password: PASSWORD, ip }));
      expect(limited.code).toBe("rate_limited");
      expect(limited.details).toEqual({ retryAfterSeconds: 900, limit: "ip" });
      // Another address is not affected.
      expect((await core.auth.signIn({ email: account.email, password: PASSWORD, ip: IP })).account.id).toBe(account.id);
    });
  });

  describe("sessions", () => {
    it("expire 30 days after their last use", async () => {
      const account = await accountWithPassword();
      const grant = await core.auth.signIn({ email: account.email, password: PASSWORD, ip: IP });
      clock.advanceMinutes(30 * 24 * 60);
      expect(await core.auth.authenticate(grant.token)).toBeNull();
    });

    it("slide: each use (at most every 5 minutes) pushes the expiry", async () => {
      const account = await accountWithPassword();
      const grant = await core.auth.signIn({ email: account.email, password: PASSWORD, ip: IP });
      clock.advanceMinutes(2);
      expect((await core.auth.authenticate(grant.token))?.session.renewed).toBe(false);
      const row = await db.prisma.session.findUniqueOrThrow({ where: { tokenHash: hashToken(grant.token) } });
      expect(row.lastSeenAt).toEqual(START);

      clock.advanceMinutes(29 * 24 * 60);
      const renewed = await core.auth.authenticate(grant.token);
      expect(renewed?.session).toEqual({ renewed: true, expiresAt: new Date(clock.now().getTime() + 30 * 24 * 3600_000) });
      clock.advanceMinutes(29 * 24 * 60);
      expect(await core.auth.authenticate(grant.token)).not.toBeNull();
    });

    it("end at sign-out; unknown and malformed tokens authenticate nobody", async () => {
      const account = await accountWithPassword();
      const grant = await core.auth.signIn({ email: account.email, password: PASSWORD, ip: IP });
      await core.auth.signOut(grant.token);
      expect(await core.auth.authenticate(grant.token)).toBeNull();
      expect(await core.auth.authenticate(undefined)).toBeNull();
      expect(await core.auth.authenticate("not a token")).toBeNull();
      await core.auth.signOut("not a token");
    });

    it("a new password ends other sessions but may keep the current one", async () => {
      const account = await accountWithPassword();
      const a = await core.auth.signIn({ email: account.email, password: PASSWORD, ip: IP });
      const b = await core.auth.signIn({ email: account.email, password: PASSWORD, ip: IP });
      await core.auth.setPassword({ accountId: account.id, password: "a brand new password", keepSessionToken: a.token });
      expect(await core.auth.authenticate(a.token)).not.toBeNull();
      expect(await core.auth.authenticate(b.token)).toBeNull();
      expect((await core.auth.signIn({ email: account.email, password: "a brand new password", ip: IP })).account.id).toBe(account.id);
      expect((await failure(core.auth.setPassword({ accountId: account.id, password: "123456789" }))).code).toBe("invalid_input");
    });
  });

  describe("first start: owner access", () => {
    it("creates the owner once and hands out a fresh link until a password is set", async () => {
      const tenant = { id: salon.tenantId, slug: salon.slug, name: "Test Salon" };
      const first = await prepareOwnerAccess(core, tenant, "http://localhost:3000/");
      expect(first.email).toBe(`owner@${salon.slug}.chairside.local`);
      expect(first.signInUrl).toMatch(new RegExp(`^http://localhost:3000/auth/link/[A-Za-z0-9_-]{43}$`));
      const second = await prepareOwnerAccess(core, tenant, "http://localhost:3000");
      expect(second.signInUrl).not.toBe(first.signInUrl);
      const owners = (await core.auth.listAccounts(salon.tenantId)).filter((a) => a.role === "owner");
      expect(owners).toHaveLength(1);

      const firstToken = first.signInUrl!.split("/").pop()!;
      expect(await core.auth.inspectSignInLink(firstToken)).toBeNull();
      await core.auth.completeSignInLink({ token: second.signInUrl!.split("/").pop()!, password: PASSWORD });
      expect(await prepareOwnerAccess(core, tenant, "http://localhost:3000")).toEqual({ email: first.email, signInUrl: null });
    });

    it("concurrent first starts make one owner", async () => {
      const tenant = { id: salon.tenantId, slug: salon.slug, name: "Test Salon" };
      await Promise.all([0, 1, 2].map(() => core.auth.ensureOwner({ tenantId: tenant.id, email: `owner@${tenant.slug}.chairside.local`, name: "Owner" })));
      expect((await core.auth.listAccounts(salon.tenantId)).filter((a) => a.role === "owner")).toHaveLength(1);
    });
  });
});
