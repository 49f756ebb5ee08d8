import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkChallenge, escapeUnicode, safeEqual, signPayload, verifySignature } from "./verify.js";

const SECRET = "app-secret-0123456789abcdef";
const hex = (data: string | Buffer, key = SECRET) => createHmac("sha256", key).update(data).digest("hex");

describe("verifySignature (X-Hub-Signature-256)", () => {
  const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');

  it("accepts sha256=<hex HMAC-SHA256 of the raw body with the app secret>, in either hex case", () => {
    expect(verifySignature(body, `sha256=${hex(body)}`, SECRET)).toBe(true);
    expect(verifySignature(body, `sha256=${hex(body).toUpperCase()}`, SECRET)).toBe(true);
    expect(signPayload(body, SECRET)).toBe(`sha256=${hex(body)}`);
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["without the prefix", hex(Buffer.from('{"object":"whatsapp_business_account","entry":[]}'))],
    ["sha1", `sha1=${"0".repeat(40)}`],
    ["another key", `sha256=${hex(Buffer.from('{"object":"whatsapp_business_account","entry":[]}'), "other-secret")}`],
    ["another body", `sha256=${hex('{"object":"whatsapp_business_account","entry":[{}]}')}`],
    ["too short", `sha256=${"a".repeat(63)}`],
    ["not hex", `sha256=${"z".repeat(64)}`],
    ["repeated header", [`sha256=${hex(Buffer.from('{"object":"whatsapp_business_account","entry":[]}'))}`, "x"]],
  ])("refuses a %s signature", (_name, header) => {
    expect(verifySignature(body, header as string | string[] | undefined, SECRET)).toBe(false);
  });

  it("refuses everything when no secret is configured", () => {
    expect(verifySignature(body, `sha256=${createHmac("sha256", "").update(body).digest("hex")}`, "")).toBe(false);
  });

  it("accepts Meta's escaped-unicode signature for a body that arrives unescaped", () => {
    const raw = Buffer.from('{"text":"äöå 😀"}', "utf8");
    const escaped = '{"text":"\\u00e4\\u00f6\\u00e5 \\ud83d\\ude00"}';
    expect(escapeUnicode(raw.toString("utf8"))).toBe(escaped);
    expect(verifySignature(raw, `sha256=${hex(escaped)}`, SECRET)).toBe(true);
    expect(verifySignature(raw, `sha256=${hex(raw)}`, SECRET)).toBe(true);
    expect(verifySignature(Buffer.from(escaped), `sha256=${hex(escaped)}`, SECRET)).toBe(true);
  });
});

describe("checkChallenge (GET verification)", () => {
  const query = (q: Record<string, string>) => new URLSearchParams(q);

  it("echoes the challenge for subscribe with the right token", () => {
    expect(checkChallenge(query({ "hub.mode": "subscribe", "hub.verify_token": "tok", "hub.challenge": "1158201444" }), "tok")).toEqual({ ok: true, challenge: "1158201444" });
  });

  it.each([
    ["a wrong token", { "hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1" }, 403],
    ["a token that only starts right", { "hub.mode": "subscribe", "hub.verify_token": "tokx", "hub.challenge": "1" }, 403],
    ["no token", { "hub.mode": "subscribe", "hub.challenge": "1" }, 403],
    ["another mode", { "hub.mode": "unsubscribe", "hub.verify_token": "tok", "hub.challenge": "1" }, 403],
    ["no challenge", { "hub.mode": "subscribe", "hub.verify_token": "tok" }, 400],
    ["an oversized challenge", { "hub.mode": "subscribe", "hub.verify_token": "tok", "hub.challenge": "9".repeat(300) }, 400],
  ])("refuses %s", (_name, q, status) => {
    expect(checkChallenge(query(q), "tok")).toMatchObject({ ok: false, status });
  });

  it("compares in constant time whatever the lengths", () => {
    expect(safeEqual("a", "a")).toBe(true);
    expect(safeEqual("a", "ab")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
  });
});
