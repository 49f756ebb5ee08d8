import type { TenantView } from "../catalog/catalog.types.js";
import type { StaffRole } from "./permissions.js";

/** A staff admin account as callers see it (never the password hash). */
export interface AccountView {
  id: string;
  tenantId: string;
  /** The calendar column this account works in, or null (owners and managers may have none). */
  staffId: string | null;
  /** Lower-cased. */
  email: string;
  name: string;
  role: StaffRole;
  /** False until a password was set through a one-time sign-in link. */
  hasPassword: boolean;
  disabled: boolean;
}

/** A new session: give `token` to the browser (httpOnly cookie) and keep nothing else. */
export interface SessionGrant {
  /** 43-character base64url secret; the database stores only its sha256. */
  token: string;
  /** When the session ends unless it is used again before (sliding). */
  expiresAt: Date;
  account: AccountView;
}

/** Who is signed in: the account and its salon. */
export interface AuthContext {
  account: AccountView;
  tenant: TenantView;
}

/** A one-time sign-in link token and when it stops working. */
export interface SignInLinkGrant {
  /** Put it in the URL once; the database stores only its sha256. */
  token: string;
  expiresAt: Date;
}

/** `details` of the `rate_limited` error thrown by `signIn`. */
export interface RateLimitedDetails {
  /** Seconds until the next attempt may succeed (at least 1). */
  retryAfterSeconds: number;
  /** Which limit was hit. */
  limit: "email" | "ip";
}
