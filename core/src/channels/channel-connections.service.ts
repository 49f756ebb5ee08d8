import type { PrismaClient, ChannelConnection, Prisma } from "@prisma/client";
import { z } from "zod";
import { DomainError } from "../errors.js";
import { parseInput } from "../validation.js";
import type { SecretBox } from "./secret-box.js";

/** A salon's connection to one messenger, without its secrets (safe to show in the admin). */
export interface ChannelConnectionView {
  tenantId: string;
  /** "telegram", "whatsapp", "viber", "webchat". */
  channel: string;
  enabled: boolean;
  /** Non-secret settings (API base URLs, WhatsApp phone number id). */
  config: Record<string, unknown>;
  /** The names of the stored secrets (never their values), e.g. ["accessToken", "appSecret"]. */
  secretNames: string[];
  /** Changes whenever credentials or `enabled` change: caches compare it. */
  updatedAt: Date;
}

/** A connection with its decrypted credentials: `config` and secrets merged. Server code only. */
export interface ChannelCredentials extends ChannelConnectionView {
  /** `{ ...config, ...secrets }`, to be validated by the channel plugin's schema. */
  credentials: Record<string, unknown>;
}

const channelSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, { error: "channel must be a lower-case name such as whatsapp" });
const refSchema = z.object({ tenantId: z.uuid(), channel: channelSchema });
const valuesSchema = z.record(z.string().min(1).max(64), z.unknown());
const upsertSchema = refSchema.extend({
  config: valuesSchema.default({}),
  secrets: z.record(z.string().min(1).max(64), z.string().max(4096)).default({}),
  enabled: z.boolean().default(true),
});

/** What `upsert` takes. Values of `secrets` are strings (tokens, app secrets). */
export type ChannelConnectionInput = z.input<typeof upsertSchema>;

const contextOf = (tenantId: string, channel: string) => `${tenantId}:${channel}`;

/**
 * Per-salon messenger credentials (table ChannelConnection). Secrets are sealed with the
 * installation's SecretBox (AES-256-GCM, bound to salon and channel); `config` is stored as it is.
 * Only `getCredentials` and `listEnabledCredentials` return decrypted secrets; everything else
 * returns views with secret names only.
 */
export class ChannelConnectionsService {
  constructor(
    private readonly db: PrismaClient,
    private readonly box: SecretBox,
  ) {}

  /**
   * Creates or replaces the connection of (tenant, channel): `config` and `secrets` replace what
   * was stored (the environment wins for the first salon; the admin sends complete sets).
   * Throws `invalid_input`, `not_found` (no such salon).
   */
  async upsert(input: ChannelConnectionInput): Promise<ChannelConnectionView> {
    const data = parseInput(upsertSchema, input, "channel connection");
    const tenant = await this.db.tenant.findUnique({ where: { id: data.tenantId }, select: { id: true } });
    if (!tenant) throw new DomainError("not_found", `Salon ${data.tenantId} was not found`);
    const sealed = this.box.seal(data.secrets, contextOf(data.tenantId, data.channel));
    const config = data.config as Prisma.InputJsonObject;
    const row = await this.db.channelConnection.upsert({
      where: { tenantId_channel: { tenantId: data.tenantId, channel: data.channel } },
      create: { tenantId: data.tenantId, channel: data.channel, enabled: data.enabled, config, secrets: sealed },
      update: { enabled: data.enabled, config, secrets: sealed },
    });
    return this.view(row, Object.keys(data.secrets));
  }

  /** The connection without secrets, or null. Throws `invalid_input`. */
  async get(tenantId: string, channel: string): Promise<ChannelConnectionView | null> {
    const ref = parseInput(refSchema, { tenantId, channel }, "channel connection");
    const row = await this.db.channelConnection.findUnique({ where: { tenantId_channel: ref } });
    return row ? this.view(row, this.secretNames(row)) : null;
  }

  /** A salon's connections without secrets, by channel name. */
  async list(tenantId: string): Promise<ChannelConnectionView[]> {
    const id = parseInput(z.uuid(), tenantId, "tenant id");
    const rows = await this.db.channelConnection.findMany({ where: { tenantId: id }, orderBy: { channel: "asc" } });
    return rows.map((row) => this.view(row, this.secretNames(row)));
  }

  /**
   * The connection with decrypted credentials, or null when there is none. Throws
   * `config_invalid` naming CHAIRSIDE_SECRET_KEY when the secrets cannot be decrypted.
   */
  async getCredentials(tenantId: string, channel: string): Promise<ChannelCredentials | null> {
    const ref = parseInput(refSchema, { tenantId, channel }, "channel connection");
    const row = await this.db.channelConnection.findUnique({ where: { tenantId_channel: ref } });
    return row ? this.decrypt(row) : null;
  }

  /**
   * Every enabled connection of every salon, decrypted; a connection that cannot be decrypted
   * comes back as its `error` (config_invalid) so one bad row never hides the others.
   */
  async listEnabledCredentials(): Promise<({ ok: true; value: ChannelCredentials } | { ok: false; tenantId: string; channel: string; error: DomainError })[]> {
    const rows = await this.db.channelConnection.findMany({ where: { enabled: true }, orderBy: [{ createdAt: "asc" }, { channel: "asc" }] });
    return rows.map((row) => {
      try {
        return { ok: true as const, value: this.decrypt(row) };
      } catch (e) {
        if (e instanceof DomainError) return { ok: false as const, tenantId: row.tenantId, channel: row.channel, error: e };
        throw e;
      }
    });
  }

  /** `updatedAt` and `enabled` only: what a cache needs to know whether to rebuild. Null when none. */
  async version(tenantId: string, channel: string): Promise<{ enabled: boolean; updatedAt: Date } | null> {
    const ref = parseInput(refSchema, { tenantId, channel }, "channel connection");
    return this.db.channelConnection.findUnique({ where: { tenantId_channel: ref }, select: { enabled: true, updatedAt: true } });
  }

  /** Turns a connection off (webhooks answer 404, nothing is sent) and keeps its credentials. Idempotent. */
  async disable(tenantId: string, channel: string): Promise<void> {
    const ref = parseInput(refSchema, { tenantId, channel }, "channel connection");
    await this.db.channelConnection.updateMany({ where: { ...ref, enabled: true }, data: { enabled: false } });
  }

  /**
   * Turns a disabled connection on again with the credentials it kept. Idempotent. Throws
   * `not_found` when the salon has no connection for the channel (connect it with `upsert`).
   */
  async enable(tenantId: string, channel: string): Promise<void> {
    const ref = parseInput(refSchema, { tenantId, channel }, "channel connection");
    const changed = await this.db.channelConnection.updateMany({ where: { ...ref, enabled: false }, data: { enabled: true } });
    if (changed.count > 0) return;
    const exists = await this.db.channelConnection.count({ where: ref });
    if (exists === 0) throw new DomainError("not_found", `Salon ${ref.tenantId} has no ${ref.channel} connection to enable: connect it first`);
  }

  private decrypt(row: ChannelConnection): ChannelCredentials {
    const secrets = this.box.open(row.secrets, contextOf(row.tenantId, row.channel), `the ${row.channel} credentials of salon ${row.tenantId}`);
    const values = z.record(z.string(), z.unknown()).safeParse(secrets);
    if (!values.success) throw new DomainError("config_invalid", `The stored ${row.channel} credentials of salon ${row.tenantId} are not an object`);
    return { ...this.view(row, Object.keys(values.data)), credentials: { ...this.configOf(row), ...values.data } };
  }

  /** Names of the stored secrets; empty when they cannot be decrypted (the view never fails on a wrong key). */
  private secretNames(row: ChannelConnection): string[] {
    try {
      const secrets = this.box.open(row.secrets, contextOf(row.tenantId, row.channel));
      return secrets && typeof secrets === "object" ? Object.keys(secrets) : [];
    } catch {
      return [];
    }
  }

  private configOf(row: ChannelConnection): Record<string, unknown> {
    const parsed = valuesSchema.safeParse(row.config);
    return parsed.success ? parsed.data : {};
  }

  private view(row: ChannelConnection, secretNames: string[]): ChannelConnectionView {
    return { tenantId: row.tenantId, channel: row.channel, enabled: row.enabled, config: this.configOf(row), secretNames, updatedAt: row.updatedAt };
  }
}
