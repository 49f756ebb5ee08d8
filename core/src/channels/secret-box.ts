/**
 * Encryption at rest for channel credentials: AES-256-GCM with a 32-byte key from the environment
 * variable CHAIRSIDE_SECRET_KEY (or, for `npm start` without it, a key file the server generates
 * once). A sealed value is base64 of iv (12 bytes) ‖ auth tag (16 bytes) ‖ ciphertext. Opening
 * with the wrong key fails the GCM authentication and throws a DomainError that names the
 * variable: never garbage. Plain values never appear in error messages.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { DomainError } from "../errors.js";

/** The environment variable the key comes from. */
export const SECRET_KEY_VARIABLE = "CHAIRSIDE_SECRET_KEY";

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = "aes-256-gcm";

/** What to tell someone whose key is missing or malformed. */
const KEY_HINT = `generate one with: openssl rand -base64 32`;

/**
 * Reads a 32-byte key written as 64 hex digits or as base64 (standard or URL-safe, padding
 * optional). Throws `config_invalid` naming `source` (never echoing the value) otherwise.
 */
export function parseSecretKey(text: string, source: string = SECRET_KEY_VARIABLE): Buffer {
  const value = text.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(value)) key = Buffer.from(value, "hex");
  else if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(value)) key = Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (!key || key.length !== KEY_BYTES) {
    throw new DomainError(
      "config_invalid",
      `${source} must be 32 random bytes written as base64 (44 characters) or hex (64 characters): ${KEY_HINT}`,
    );
  }
  return key;
}

/** A fresh random key, base64 (what `openssl rand -base64 32` prints). */
export function generateSecretKey(): string {
  return randomBytes(KEY_BYTES).toString("base64");
}

/**
 * Seals and opens JSON values with one key. `context` (e.g. "<tenantId>:whatsapp") is bound to
 * the ciphertext as additional authenticated data: a value sealed for one salon's channel cannot
 * be opened as another's.
 */
export class SecretBox {
  private constructor(
    private readonly key: Buffer,
    /** Where the key came from, for error messages ("CHAIRSIDE_SECRET_KEY", a key file). */
    readonly source: string,
  ) {}

  /** A box with the key in `text` (see `parseSecretKey`). Throws `config_invalid`. */
  static fromKey(text: string, source: string = SECRET_KEY_VARIABLE): SecretBox {
    return new SecretBox(parseSecretKey(text, source), source);
  }

  /** Encrypts `value` (JSON-serialisable) with a fresh random iv. */
  seal(value: unknown, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, "utf8"));
    const data = Buffer.concat([cipher.update(JSON.stringify(value) ?? "null", "utf8"), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), data]).toString("base64");
  }

  /**
   * Decrypts a value sealed with `seal` under the same `context`. Throws `config_invalid` when the
   * key (or the context) is not the one it was sealed with, or the value is not a sealed value.
   * `what` names the value in the message, e.g. `the whatsapp credentials of salon "demo"`.
   */
  open(sealed: string, context: string, what = "a stored secret"): unknown {
    const bytes = Buffer.from(sealed, "base64");
    if (bytes.length < IV_BYTES + TAG_BYTES) {
      throw new DomainError("config_invalid", `Could not decrypt ${what}: the stored value is not an encrypted secret`);
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      return JSON.parse(plain.toString("utf8")) as unknown;
    } catch {
      throw new DomainError(
        "config_invalid",
        `Could not decrypt ${what}: ${SECRET_KEY_VARIABLE} (key from ${this.source}) is not the key it was encrypted with. ` +
          `Set ${SECRET_KEY_VARIABLE} to the key used before, or enter the credentials again.`,
      );
    }
  }
}

/** Where the key came from at start-up. */
export interface ResolvedSecretKey {
  box: SecretBox;
  /** "env": CHAIRSIDE_SECRET_KEY; "file": read from the key file; "generated": written to the key file just now. */
  origin: "env" | "file" | "generated";
  /** The key file, for "file" and "generated". */
  file?: string;
}

/**
 * The key for this installation: `envValue` (CHAIRSIDE_SECRET_KEY) when set; otherwise the key in
 * `<dataDir>/secret.key`, created (mode 0600, exclusively, so two processes starting together end
 * up with the same key) when missing. Throws `config_invalid` for a malformed key.
 */
export function resolveSecretKey(envValue: string | undefined, dataDir: string): ResolvedSecretKey {
  if (envValue !== undefined && envValue.trim() !== "") return { box: SecretBox.fromKey(envValue), origin: "env" };
  const file = path.join(dataDir, "secret.key");
  let origin: ResolvedSecretKey["origin"] = "file";
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, `${generateSecretKey()}\n`, { mode: 0o600, flag: "wx" });
      origin = "generated";
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  return { box: SecretBox.fromKey(fs.readFileSync(file, "utf8"), file), origin, file };
}
