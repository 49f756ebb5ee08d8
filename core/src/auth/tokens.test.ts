import { describe, expect, it } from "vitest";
import { hashToken, isTokenShaped, newToken, TOKEN_LENGTH } from "./tokens.js";

describe("tokens", () => {
  it("are 43 base64url characters, different every time, stored as sha256 hex", () => {
    const a = newToken();
    const b = newToken();
    expect(a).toHaveLength(TOKEN_LENGTH);
    expect(isTokenShaped(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(a)).toBe(hashToken(a));
    expect(hashToken(a)).not.toBe(hashToken(b));
  });

  it("rejects anything else before a database lookup", () => {
    for (const bad of ["", "short", `${newToken()}x`, "a".repeat(42) + "!", undefined, null, 42]) {
      expect(isTokenShaped(bad)).toBe(false);
    }
  });
});
