import { describe, expect, it } from "vitest";
import { bookingChoiceId, decodeInstant, encodeInstant, globalId, MAX_CHOICE_ID_BYTES, parseChoiceId, stepId } from "./ids.js";

const UUID = "123e4567-e89b-42d3-a456-426614174000";

describe("choice ids", () => {
  it("round-trips every scope", () => {
    expect(parseChoiceId(globalId("book"))).toEqual({ scope: "global", action: "book" });
    expect(parseChoiceId(bookingChoiceId("cancel", UUID))).toEqual({ scope: "booking", action: "cancel", bookingId: UUID });
    expect(parseChoiceId(stepId(12, "svc", UUID))).toEqual({ scope: "step", version: 12, action: "svc", arg: UUID });
    expect(parseChoiceId(stepId(3, "ok"))).toEqual({ scope: "step", version: 3, action: "ok" });
  });

  it("stays within Telegram's 64 bytes for the longest ids we make", () => {
    for (const id of [stepId(999_999_999, "svc", UUID), stepId(999_999_999, "stf", UUID), bookingChoiceId("reschedule", UUID)]) {
      expect(Buffer.byteLength(id)).toBeLessThanOrEqual(MAX_CHOICE_ID_BYTES);
    }
    expect(() => stepId(1, "svc", "x".repeat(60))).toThrow(/64 bytes/);
  });

  it("rejects ids that are not ours", () => {
    for (const id of ["", "g:", "g:drop", "b:x:1", "b:r:", "s:v:ok", "s:1:nope", "s:1:ok:a:b", "hello"]) {
      expect(parseChoiceId(id), id).toBeNull();
    }
  });

  it("encodes instants on the minute grid compactly", () => {
    const at = new Date("2030-03-04T08:15:00Z");
    expect(encodeInstant(at).length).toBeLessThanOrEqual(8);
    expect(decodeInstant(encodeInstant(at))).toEqual(at);
    expect(decodeInstant("NOT-OK")).toBeNull();
    expect(decodeInstant(undefined)).toBeNull();
  });
});
