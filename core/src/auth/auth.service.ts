import type { Prisma, PrismaClient, StaffAccount } from "@prisma/client";
import { z } from "zod";
import { toTenantView } from "../catalog/catalog.service.js";
import type { Clock } from "../clock.js";
import { found, isUniqueViolation } from "../db/client.js";
import { DomainError } from "../errors.js";
import { parseInput } from "../validation.js";
import type { AccountView, AuthContext, RateLimitedDetails, SessionGrant, SignInLinkGrant } from "./auth.types.js";
import { hashPassword, passwordSchema, verifyAgainstDummy, verifyPassword } from "./password.js";
import type { StaffRole } from "./permissions.js";
import { hashToken, isTokenShaped, newToken } from "./tokens.js";

/** The numbers of the sign-in policy. Durations in minutes unless the name says days. */
export const AUTH_POLICY = {
  /** A session ends this many days after it was last used (sliding). */
  sessionTtlDays: 30,
  /** `authenticate` writes lastSeenAt (and pushes expiresAt) at most this often. */
  sessionTouchMinutes: 5,
  /** Default lifetime of a one-time sign-in link: one day. */
  signInLinkTtlMinutes: 24 * 60,
  /** Failed sign-ins are counted over this window. */
  rateLimitWindowMinutes: 15,
  /** At most this many failed sign-ins per email within the window; the next attempt is refused. */
  maxFailuresPerEmail: 5,
  /** At most this many failed sign-ins per IP address within the window. */
  maxFailuresPerIp: 20,
} as const;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const roleSchema = z.enum(["owner", "manager", "staff"]);
/** Lower-cased, trimmed email address. */
const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email("Enter a valid email address"));
const nameSchema = z.string().trim().min(1).max(100);

const createAccountSchema = z.object({
  tenantId: z.uuid(),
  email: emailSchema,
  name: nameSchema,
  role: roleSchema,
  staffId: z.uuid().nullish(),
});
const ensureOwnerSchema = z.object({ tenantId: z.uuid(), email: emailSchema, name: nameSchema });
const linkSchema = z.object({
  tenantId: z.uuid(),
  accountId: z.uuid(),
  ttlMinutes: z.number().int().min(1).max(30 * 24 * 60).default(AUTH_POLICY.signInLinkTtlMinutes),
});
const setPasswordSchema = z.object({ accountId: z.uuid(), password: passwordSchema, keepSessionToken: z.string().optional() });
const completeLinkSchema = z.object({ token: z.string(), password: passwordSchema });
const signInSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, "Enter your email address").max(254),
  password: z.string().min(1, "Enter your password").max(1024),
  /** The client's IP address as the HTTP layer sees it. */
  ip: z.string().min(1).max(100),
});

/** Maps an account row to its view (drops the password hash). */
export function toAccountView(a: StaffAccount): AccountView {
  return {
    id: a.id,
    tenantId: a.tenantId,
    staffId: a.staffId,
    email: a.email,
    name: a.name,
    role: a.role as StaffRole,
    hasPassword: a.passwordHash !== null,
    disabled: a.disabledAt !== null,
  };
}

const unauthorized = (message: string) => new DomainError("unauthorized", message);
const LINK_REFUSED = "This sign-in link is unknown, used or expired: ask the salon owner for a new one";
const WRONG_CREDENTIALS = "Wrong email or password";

/**
 * Staff admin accounts, one-time sign-in links, passwords (argon2id), server-side sessions and
 * sign-in rate limiting. Tokens (session cookies, links) are 256-bit random strings handed out
 * once; the database keeps only their sha256. Every "now" comes from the injected clock.
 */
export class AuthService {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
  ) {}

  /**
   * Creates an account without a password (send it a link from `createSignInLink`). The email is
   * lower-cased and unique across the installation. Throws `invalid_input`, `not_found` (salon or
   * staff member), `conflict` (email taken).
   */
  async createAccount(input: { tenantId: string; email: string; name: string; role: StaffRole; staffId?: string | null }): Promise<AccountView> {
    const data = parseInput(createAccountSchema, input, "account");
    found(await this.db.tenant.findUnique({ where: { id: data.tenantId }, select: { id: true } }), `Salon ${data.tenantId}`);
    if (data.staffId) {
      found(await this.db.staff.findFirst({ where: { tenantId: data.tenantId, id: data.staffId }, select: { id: true } }), "Staff member");
    }
    try {
      const account = await this.db.staffAccount.create({
        data: { tenantId: data.tenantId, email: data.email, name: data.name, role: data.role, staffId: data.staffId ?? null, createdAt: this.clock.now() },
      });
      return toAccountView(account);
    } catch (e) {
      if (isUniqueViolation(e)) throw new DomainError("conflict", `An account with the email ${data.email} exists already`, { field: "email" });
      throw e;
    }
  }

  /**
   * The salon's owner: its oldest owner account when it has one (whatever its email), otherwise a
   * new owner account with `email` and `name`. Safe to call on every start and concurrently.
   * Throws `invalid_input`, `not_found` (salon), `conflict` (the email belongs to another salon).
   */
  async ensureOwner(input: { tenantId: string; email: string; name: string }): Promise<AccountView> {
    const data = parseInput(ensureOwnerSchema, input, "owner");
    for (let attempt = 0; attempt < 2; attempt++) {
      const owner = await this.db.staffAccount.findFirst({ where: { tenantId: data.tenantId, role: "owner" }, orderBy: { createdAt: "asc" } });
      if (owner) return toAccountView(owner);
      try {
        return await this.createAccount({ ...data, role: "owner" });
      } catch (e) {
        // Another start created it between our read and write: read again.
        if (!(e instanceof DomainError && e.code === "conflict") || attempt > 0) throw e;
      }
    }
    throw new DomainError("conflict", `Could not create the owner of salon ${data.tenantId}`);
  }

  /** The salon's accounts: owners, then managers, then staff, each by name. */
  async listAccounts(tenantId: string): Promise<AccountView[]> {
    const id = parseInput(z.uuid(), tenantId, "salon id");
    const accounts = await this.db.staffAccount.findMany({ where: { tenantId: id }, orderBy: [{ role: "asc" }, { name: "asc" }] });
    return accounts.map(toAccountView);
  }

  /** One account of the salon. Throws `not_found` (also for another salon's account). */
  async getAccount(tenantId: string, accountId: string): Promise<AccountView> {
    const ids = z.object({ tenantId: z.uuid(), accountId: z.uuid() }).safeParse({ tenantId, accountId });
    const account = ids.success ? await this.db.staffAccount.findFirst({ where: { tenantId: ids.data.tenantId, id: ids.data.accountId } }) : null;
    return toAccountView(found(account, "Account"));
  }

  /**
   * A one-time link token for the account (to set a password), valid `ttlMinutes` (default one
   * day, at most 30 days). Older unused links of the account stop working. Throws `invalid_input`,
   * `not_found` (unknown, disabled or another salon's account).
   */
  async createSignInLink(input: { tenantId: string; accountId: string; ttlMinutes?: number }): Promise<SignInLinkGrant> {
    const data = parseInput(linkSchema, input, "sign-in link");
    const account = await this.db.staffAccount.findFirst({ where: { tenantId: data.tenantId, id: data.accountId, disabledAt: null } });
    found(account, "Account");
    const now = this.clock.now();
    const token = newToken();
    const expiresAt = new Date(now.getTime() + data.ttlMinutes * MINUTE);
    await this.db.$transaction(async (tx) => {
      await tx.signInLink.deleteMany({ where: { accountId: data.accountId, usedAt: null } });
      await tx.signInLink.create({
        data: { tenantId: data.tenantId, accountId: data.accountId, tokenHash: hashToken(token), expiresAt, createdAt: now },
      });
    });
    return { token, expiresAt };
  }

  /**
   * The account a link would sign in, without using the link up (for showing the set-password
   * form: link previews in chat apps fetch URLs too). Null when the link is unknown, used, expired
   * or its account is disabled.
   */
  async inspectSignInLink(token: string): Promise<AccountView | null> {
    if (!isTokenShaped(token)) return null;
    const link = await this.db.signInLink.findUnique({ where: { tokenHash: hashToken(token) }, include: { account: true } });
    if (!link || link.usedAt || link.expiresAt <= this.clock.now() || link.account.disabledAt) return null;
    return toAccountView(link.account);
  }

  /**
   * Uses up a one-time link and returns its account. Throws `unauthorized` when the link is
   * unknown, used, expired or its account is disabled (nothing changes then).
   */
  async consumeSignInLink(token: string): Promise<AccountView> {
    return this.db.$transaction((tx) => this.consumeLink(tx, token));
  }

  /**
   * Redeems a one-time link in one transaction: uses up the link, sets the password, ends the
   * account's other sessions and starts a new one. The password is checked before the link is
   * touched, so a too-short password leaves the link usable. Throws `invalid_input`
   * (details.issues[].path "password"), `unauthorized` (bad link).
   */
  async completeSignInLink(input: { token: string; password: string }): Promise<SessionGrant> {
    const data = parseInput(completeLinkSchema, input, "new password");
    if (!(await this.inspectSignInLink(data.token))) throw unauthorized(LINK_REFUSED);
    const passwordHash = await hashPassword(data.password);
    return this.db.$transaction(async (tx) => {
      const account = await this.consumeLink(tx, data.token);
      const now = this.clock.now();
      await tx.staffAccount.update({ where: { id: account.id }, data: { passwordHash } });
      await tx.session.deleteMany({ where: { accountId: account.id } });
      return this.startSession(tx, { ...account, hasPassword: true }, now);
    });
  }

  /**
   * Sets an account's password (10 to 200 characters) and ends its sessions, except the one whose
   * token is `keepSessionToken` (the person changing their own password stays signed in). Throws
   * `invalid_input`, `not_found`.
   */
  async setPassword(input: { accountId: string; password: string; keepSessionToken?: string }): Promise<void> {
    const data = parseInput(setPasswordSchema, input, "new password");
    found(await this.db.staffAccount.findUnique({ where: { id: data.accountId }, select: { id: true } }), "Account");
    const passwordHash = await hashPassword(data.password);
    const keep = data.keepSessionToken ? hashToken(data.keepSessionToken) : undefined;
    await this.db.$transaction(async (tx) => {
      await tx.staffAccount.update({ where: { id: data.accountId }, data: { passwordHash } });
      await tx.session.deleteMany({ where: { accountId: data.accountId, ...(keep ? { tokenHash: { not: keep } } : {}) } });
    });
  }

  /**
   * Signs in with email and password; returns a new session. A wrong password, an unknown email,
   * an account without a password and a disabled account all throw the same `unauthorized` and
   * take about the same time. After `maxFailuresPerEmail` failures for the email, or
   * `maxFailuresPerIp` for the IP, within `rateLimitWindowMinutes`, every attempt (even a correct
   * one) throws `rate_limited` with `details: RateLimitedDetails` until the oldest failure ages
   * out. A success clears the email's failures. Throws `invalid_input` for empty fields.
   */
  async signIn(input: { email: string; password: string; ip: string }): Promise<SessionGrant> {
    const { email, password, ip } = parseInput(signInSchema, input, "sign-in");
    const now = this.clock.now();
    const keys = { email: `email:${email}`, ip: `ip:${ip}` };
    await this.checkRateLimit(keys, now);
    const account = await this.db.staffAccount.findUnique({ where: { email } });
    const ok =
      account && account.passwordHash && !account.disabledAt
        ? await verifyPassword(account.passwordHash, password)
        : await verifyAgainstDummy(password);
    if (!ok || !account) {
      const windowStart = new Date(now.getTime() - AUTH_POLICY.rateLimitWindowMinutes * MINUTE);
      await this.db.$transaction([
        this.db.signInAttempt.deleteMany({ where: { key: { in: [keys.email, keys.ip] }, createdAt: { lte: windowStart } } }),
        this.db.signInAttempt.createMany({ data: [{ key: keys.email, createdAt: now }, { key: keys.ip, createdAt: now }] }),
      ]);
      throw unauthorized(WRONG_CREDENTIALS);
    }
    return this.db.$transaction(async (tx) => {
      await tx.signInAttempt.deleteMany({ where: { key: keys.email } });
      return this.startSession(tx, toAccountView(account), now);
    });
  }

  /**
   * Who holds this session token, or null (unknown, expired, account disabled, malformed token).
   * Using a session at least `sessionTouchMinutes` after it was last seen moves lastSeenAt to now
   * and pushes its expiry to `sessionTtlDays` from now; `session.renewed` says so (the HTTP layer
   * then refreshes the cookie's lifetime).
   */
  async authenticate(sessionToken: string | undefined | null): Promise<(AuthContext & { session: { expiresAt: Date; renewed: boolean } }) | null> {
    if (!isTokenShaped(sessionToken)) return null;
    const session = await this.db.session.findUnique({
      where: { tokenHash: hashToken(sessionToken) },
      include: { account: { include: { tenant: true } } },
    });
    if (!session) return null;
    const now = this.clock.now();
    if (session.expiresAt <= now) {
      await this.db.session.deleteMany({ where: { id: session.id } });
      return null;
    }
    if (session.account.disabledAt) return null;
    let expiresAt = session.expiresAt;
    let renewed = false;
    if (now.getTime() - session.lastSeenAt.getTime() >= AUTH_POLICY.sessionTouchMinutes * MINUTE) {
      expiresAt = new Date(now.getTime() + AUTH_POLICY.sessionTtlDays * DAY);
      await this.db.session.updateMany({ where: { id: session.id }, data: { lastSeenAt: now, expiresAt } });
      renewed = true;
    }
    return {
      account: toAccountView(session.account),
      tenant: toTenantView(session.account.tenant),
      session: { expiresAt, renewed },
    };
  }

  /** Ends the session with this token; does nothing for an unknown one. */
  async signOut(sessionToken: string | undefined | null): Promise<void> {
    if (!isTokenShaped(sessionToken)) return;
    await this.db.session.deleteMany({ where: { tokenHash: hashToken(sessionToken) } });
  }

  private async consumeLink(tx: Prisma.TransactionClient, token: string): Promise<AccountView> {
    if (!isTokenShaped(token)) throw unauthorized(LINK_REFUSED);
    const now = this.clock.now();
    const link = await tx.signInLink.findUnique({ where: { tokenHash: hashToken(token) }, include: { account: true } });
    if (!link || link.account.disabledAt) throw unauthorized(LINK_REFUSED);
    // Conditional update: of two concurrent redemptions exactly one changes the row.
    const used = await tx.signInLink.updateMany({ where: { id: link.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (used.count !== 1) throw unauthorized(LINK_REFUSED);
    return toAccountView(link.account);
  }

  private async startSession(tx: Prisma.TransactionClient, account: AccountView, now: Date): Promise<SessionGrant> {
    const token = newToken();
    const expiresAt = new Date(now.getTime() + AUTH_POLICY.sessionTtlDays * DAY);
    await tx.session.create({
      data: { tenantId: account.tenantId, accountId: account.id, tokenHash: hashToken(token), createdAt: now, lastSeenAt: now, expiresAt },
    });
    return { token, expiresAt, account };
  }

  private async checkRateLimit(keys: { email: string; ip: string }, now: Date): Promise<void> {
    const windowMs = AUTH_POLICY.rateLimitWindowMinutes * MINUTE;
    const failures = await this.db.signInAttempt.findMany({
      where: { key: { in: [keys.email, keys.ip] }, createdAt: { gt: new Date(now.getTime() - windowMs) } },
      orderBy: { createdAt: "asc" },
      select: { key: true, createdAt: true },
    });
    let worst: RateLimitedDetails | null = null;
    for (const [limit, key, max] of [
      ["email", keys.email, AUTH_POLICY.maxFailuresPerEmail],
      ["ip", keys.ip, AUTH_POLICY.maxFailuresPerIp],
    ] as const) {
      const times = failures.filter((f) => f.key === key).map((f) => f.createdAt.getTime());
      if (times.length < max) continue;
      // Allowed again once enough failures have aged out that fewer than `max` remain.
      const freeAt = times[times.length - max]! + windowMs;
      const retryAfterSeconds = Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000));
      if (!worst || retryAfterSeconds > worst.retryAfterSeconds) worst = { retryAfterSeconds, limit };
    }
    if (worst) {
      const minutes = Math.ceil(worst.retryAfterSeconds / 60);
      throw new DomainError<RateLimitedDetails>(
        "rate_limited",
        `Too many failed sign-ins ${worst.limit === "email" ? "for this email" : "from this address"}: try again in ${minutes} minute${minutes === 1 ? "" : "s"}`,
        worst,
      );
    }
  }
}
