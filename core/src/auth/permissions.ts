/**
 * Who may do what in the staff admin. Roles are fixed (owner, manager, staff); a permission is a
 * named right that routes and services check with `can`. The table is the whole policy:
 *
 * | permission       | staff | manager | owner |
 * |------------------|:-----:|:-------:|:-----:|
 * | calendar:own     |   ✓   |    ✓    |   ✓   |
 * | calendar:all     |       |    ✓    |   ✓   |
 * | pos              |   ✓   |    ✓    |   ✓   |
 * | clients:lookup   |   ✓   |    ✓    |   ✓   |
 * | clients          |       |    ✓    |   ✓   |
 * | inventory        |       |    ✓    |   ✓   |
 * | reports          |       |    ✓    |   ✓   |
 * | notifications    |       |    ✓    |   ✓   |
 * | owner:telegram   |       |    ✓    |   ✓   |
 * | settings         |       |         |   ✓   |
 * | staff:manage     |       |         |   ✓   |
 *
 * `clients:lookup` lets staff find a client by name or phone and add a new one (name and phone)
 * while booking at the chair or checking out; the CRM itself (client list and pages, notes, tags,
 * merge) is `clients`. `notifications` is the outbox page (every message to every client, with
 * recipients and failure reasons, and Retry); it is client data, so staff do not get it.
 * `owner:telegram` links one's own Telegram chat for owner commands and alerts (Settings → Telegram).
 */

/** Every role an account may have (the Prisma enum StaffRole). */
export type StaffRole = "owner" | "manager" | "staff";

/** Every permission, in display order. */
export const PERMISSIONS = [
  "calendar:own",
  "calendar:all",
  "pos",
  "clients:lookup",
  "clients",
  "inventory",
  "reports",
  "notifications",
  "owner:telegram",
  "settings",
  "staff:manage",
] as const;

/** A named right; see the table above. */
export type Permission = (typeof PERMISSIONS)[number];

const STAFF: readonly Permission[] = ["calendar:own", "pos", "clients:lookup"];
const MANAGER: readonly Permission[] = PERMISSIONS.filter((p) => p !== "settings" && p !== "staff:manage");

/** The permissions of each role. */
export const ROLE_PERMISSIONS: Readonly<Record<StaffRole, readonly Permission[]>> = {
  staff: STAFF,
  manager: MANAGER,
  owner: PERMISSIONS,
};

/** True when an account with this role holds `permission`. */
export function can(account: { role: StaffRole }, permission: Permission): boolean {
  return ROLE_PERMISSIONS[account.role].includes(permission);
}
