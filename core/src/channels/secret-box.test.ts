import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateSecretKey, parseSecretKey, resolveSecretKey, SecretBox } from "./secret-box.js";

describe("SecretBox (AES-256-GCM)", () => {
  const key = generateSecretKey();

  it("seals and opens JSON, with a fresh iv each time and no plain text in the output", () => {
    const box = SecretBox.fromKey(key);
    const a = box.seal({ token: "EAAB-very-secret" }, "t1:whatsapp");
    const b = box.seal({ token: "EAAB-very-secret" }, "t1:whatsapp");
    expect(a).not.toBe(b);
    expect(Buffer.from(a, "base64").toString("latin1")).not.toContain("very-secret");
    expect(Buffer.from(a, "base64").length).toBe(12 + 16 + JSON.stringify({ token: "EAAB-very-secret" }).length);
    expect(box.open(a, "t1:whatsapp")).toEqual({ token: "EAAB-very-secret" });
  });

  it("accepts the key as base64, URL-safe base64 or hex, and refuses anything else naming the variable", () => {
    const bytes = Buffer.from(key, "base64");
    const sealed = SecretBox.fromKey(key).seal("x", "c");
    expect(SecretBox.fromKey(bytes.toString("hex")).open(sealed, "c")).toBe("x");
    expect(SecretBox.fromKey(bytes.toString("base64url")).open(sealed, "c")).toBe("x");
    expect(parseSecretKey(` ${key}\n`)).toEqual(bytes);
    for (const bad of ["", "short", "a".repeat(63), Buffer.alloc(16).toString("base64")]) {
      expect(() => SecretBox.fromKey(bad)).toThrow(/CHAIRSIDE_SECRET_KEY must be 32 random bytes/);
    }
  });

  it("refuses a wrong key, a wrong context or a tampered value with an error naming the variable, never garbage", () => {
    const sealed = SecretBox.fromKey(key).seal({ token: "secret-value" }, "t1:viber");
    const other = SecretBox.fromKey(generateSecretKey());
    expect(() => other.open(sealed, "t1:viber", "the viber credentials")).toThrow(/Could not decrypt the viber credentials: CHAIRSIDE_SECRET_KEY .*is not the key/);
    expect(() => SecretBox.fromKey(key).open(sealed, "t2:viber")).toThrow(/CHAIRSIDE_SECRET_KEY/);
    const bytes = Buffer.from(sealed, "base64");
    bytes[bytes.length - 1]! ^= 1;
    expect(() => SecretBox.fromKey(key).open(bytes.toString("base64"), "t1:viber")).toThrow(/CHAIRSIDE_SECRET_KEY/);
    expect(() => SecretBox.fromKey(key).open("", "t1:viber")).toThrow(/not an encrypted secret/);
    try {
      other.open(sealed, "t1:viber");
    } catch (e) {
      expect((e as Error).message).not.toContain("secret-value");
      expect((e as { code?: string }).code).toBe("config_invalid");
    }
  });

  it("uses CHAIRSIDE_SECRET_KEY when set; otherwise creates <dataDir>/secret.key once (mode 0600) and reuses it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chairside-key-"));
    try {
      expect(resolveSecretKey(key, dir)).toMatchObject({ origin: "env" });
      expect(fs.existsSync(path.join(dir, "secret.key"))).toBe(false);
      const dataDir = path.join(dir, "nested", ".data");
      const first = resolveSecretKey(undefined, dataDir);
      expect(first).toMatchObject({ origin: "generated", file: path.join(dataDir, "secret.key") });
      expect(fs.statSync(first.file!).mode & 0o777).toBe(0o600);
      const second = resolveSecretKey("  ", dataDir);
      expect(second.origin).toBe("file");
      expect(second.box.open(first.box.seal({ a: 1 }, "c"), "c")).toEqual({ a: 1 });
      fs.writeFileSync(first.file!, "garbage");
      expect(() => resolveSecretKey(undefined, dataDir)).toThrow(/secret\.key must be 32 random bytes/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
