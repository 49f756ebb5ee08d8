import type { TenantView } from "../catalog/catalog.types.js";
import type { Core } from "../core.js";

/** What the start banner shows the salon owner. */
export interface OwnerAccess {
  /** The owner's sign-in email, e.g. "owner@demo.chairside.local". */
  email: string;
  /** A fresh one-time link to set the password, or null once the owner has one. */
  signInUrl: string | null;
}

/** The email of a salon's first owner account: "owner@<slug>.chairside.local". */
export function defaultOwnerEmail(slug: string): string {
  return `owner@${slug}.chairside.local`;
}

/**
 * Called by the server at start. Makes sure the salon has an owner account (creating
 * "owner@<slug>.chairside.local" on the first start) and, while that owner has no password yet,
 * makes a fresh one-time sign-in link (older unused links stop working) and returns it as
 * `${baseUrl}/auth/link/<token>`. The link is a secret: print it to the operator, never log it.
 * Throws what `AuthService.ensureOwner` and `createSignInLink` throw.
 */
export async function prepareOwnerAccess(core: Pick<Core, "auth">, tenant: Pick<TenantView, "id" | "slug" | "name">, baseUrl: string): Promise<OwnerAccess> {
  const owner = await core.auth.ensureOwner({ tenantId: tenant.id, email: defaultOwnerEmail(tenant.slug), name: `${tenant.name} owner` });
  if (owner.hasPassword) return { email: owner.email, signInUrl: null };
  const link = await core.auth.createSignInLink({ tenantId: tenant.id, accountId: owner.id });
  return { email: owner.email, signInUrl: `${baseUrl.replace(/\/+$/, "")}/auth/link/${link.token}` };
}
