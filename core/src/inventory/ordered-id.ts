import { randomBytes } from "node:crypto";

let counter = 0;

/**
 * A fresh UUID (version 7 layout: 48-bit millisecond time of `at`, then an 18-bit counter of this
 * process, then random bits) so that rows written by this process sort by (time, id) in the order
 * they were written, even when several share a millisecond (a sale's lines and payments, a
 * FixedClock in tests). Stock movements, sales, sale lines and payments have no position column;
 * their ids carry the order instead.
 */
export function timeOrderedId(at: Date): string {
  counter = (counter + 1) % 0x40000;
  const b = randomBytes(16);
  b.writeUIntBE(Math.max(0, at.getTime()), 0, 6);
  b.writeUInt16BE(0x7000 | (counter >> 6), 6);
  b[8] = 0x80 | (counter & 0x3f);
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
