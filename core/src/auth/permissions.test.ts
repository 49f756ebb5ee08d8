import { describe, expect, it } from "vitest";
import { can, PERMISSIONS, type Permission, type StaffRole } from "./permissions.js";

describe("role permissions", () => {
  // The whole policy, spelled out: a change to ROLE_PERMISSIONS must change this table too.
  const expected: Record<Permission, Record<StaffRole, boolean>> = {
    "calendar:own": { staff: true, manager: true, owner: true },
    "calendar:all": { staff: false, manager: true, owner: true },
    pos: { staff: true, manager: true, owner: true },
    "clients:lookup": { staff: true, manager: true, owner: true },
    clients: { staff: false, manager: true, owner: true },
    inventory: { staff: false, manager: true, owner: true },
    reports: { staff: false, manager: true, owner: true },
    notifications: { staff: false, manager: true, owner: true },
    "owner:telegram": { staff: false, manager: true, owner: true },
    settings: { staff: false, manager: false, owner: true },
    "staff:manage": { staff: false, manager: false, owner: true },
  };

  it("covers every permission", () => {
    expect(Object.keys(expected).sort()).toEqual([...PERMISSIONS].sort());
  });

  for (const permission of PERMISSIONS) {
    for (const role of ["staff", "manager", "owner"] as const) {
      it(`${role} ${expected[permission][role] ? "may" : "may not"} use ${permission}`, () => {
        expect(can({ role }, permission)).toBe(expected[permission][role]);
      });
    }
  }
});
