import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signBody, verifySignature } from "./verify.js";

const TOKEN = "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9";
const body = Buffer.from('{"event":"webhook","timestamp":1457764197627,"chat_hostname":"SN-376_","message_token":241256543215}');

describe("X-Viber-Content-Signature", () => {
  it("is the hex HMAC-SHA256 of the raw body keyed with the auth token", () => {
    expect(signBody(body, TOKEN)).toBe(createHmac("sha256", TOKEN).update(body).digest("hex"));
    expect(signBody(body, TOKEN)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("accepts the right signature (either case of hex)", () => {
    expect(verifySignature(body, signBody(body, TOKEN), TOKEN)).toBe(true);
    expect(verifySignature(body, signBody(body, TOKEN).toUpperCase(), TOKEN)).toBe(true);
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["another key", signBody(body, `${TOKEN}x`)],
    ["another body", signBody(Buffer.from(`${body.toString()} `), TOKEN)],
    ["truncated", signBody(body, TOKEN).slice(0, 63)],
    ["not hex", "z".repeat(64)],
    ["with a prefix", `sha256=${signBody(body, TOKEN)}`],
  ])("refuses a %s signature", (_name, signature) => {
    expect(verifySignature(body, signature, TOKEN)).toBe(false);
  });
});
