/**
 * From a provider to the inbox, and from the inbox back to the provider, for every salon:
 *
 *   ALL /webhooks/<channel>/<salon slug>
 *     → the salon (by slug) and its enabled connection for <channel>   (404 JSON when unknown/disabled)
 *     → the plugin's webhook handler for that salon, built from the decrypted credentials and
 *       cached until the connection changes (its updatedAt)                 (verify → parse → deliver)
 *     → deliver: the messages, statuses and notices of the request go into the inbox in one
 *       transaction (a provider's retry is a no-op), then the worker is kicked; only then 200.
 *
 * The inbox worker resolves the same cached SalonChannel to send replies. Channels never import
 * each other; this file knows them only through the ChannelPlugin contract.
 */
import { type ChannelConnectionsService, type ChatKey, type Core, DomainError, type InboxStore, isDomainError, type TenantView } from "@chairside/core";
import type { RequestHandler } from "express";
import type { Logger, Profile, Prompt } from "../conversation/types.js";
import type { OwnerDesk } from "../owner/desk.js";
import type { Channel } from "./channel.js";
import type { ChannelPlugin, WebhookDelivery } from "./plugin.js";

/** Any plugin, its credentials type erased (they are validated by its own schema). */
export type AnyChannelPlugin = ChannelPlugin<any>;

/** One salon's channel, built from its stored credentials. */
export interface SalonChannel {
  tenant: TenantView;
  plugin: AnyChannelPlugin;
  /** The validated credentials (secrets included: server code only, never logged). */
  credentials: unknown;
  /** Sends prompts with the salon's credentials. */
  channel: Channel;
  /** The connection's updatedAt (ms) when this was built. */
  version: number;
  /** The plugin's webhook handler, built on first use; throws `config_invalid` (e.g. Telegram without a webhook secret). */
  webhook(): RequestHandler;
}

/** What the hub needs. */
export interface ChannelHubDeps {
  /** `prisma` is handed to plugins that keep records of their own (web chat). */
  core: Pick<Core, "catalog"> & Partial<Pick<Core, "prisma">>;
  connections: Pick<ChannelConnectionsService, "getCredentials" | "version">;
  inbox: Pick<InboxStore, "record">;
  /** The plugins by channel name (bots/src/channels/registry.ts in production). */
  plugins: Readonly<Record<string, AnyChannelPlugin>>;
  log: Logger;
  /** Replaces the global fetch of every plugin (tests). */
  fetch?: typeof fetch;
  /** Called after a delivery stored new events, with their chats (kicks the inbox worker). */
  onDelivered?(chats: ChatKey[]): void;
  /** The owner desk of a salon's channel (Telegram), or undefined where the channel has none. */
  ownerDesk?(tenant: TenantView, channel: string): OwnerDesk | undefined;
  /** The greeting a plugin may put in a webhook response (Viber's conversation_started). */
  welcome?(tenant: TenantView, profile: Profile): Prompt | null;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;
const errorBody = (code: string, message: string) => ({ error: { code, message } });

/**
 * Resolves salons' channels (cached per salon and channel, rebuilt when the credentials change)
 * and serves the webhook route of every channel.
 */
export class ChannelHub {
  private readonly cache = new Map<string, SalonChannel>();
  /** Webhook requests not yet answered: each settles when its response closes. */
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly deps: ChannelHubDeps) {}

  /** The channel names with a plugin. */
  get channelNames(): string[] {
    return Object.keys(this.deps.plugins);
  }

  /**
   * The salon's channel, or null when there is no plugin of that name or no enabled connection.
   * Throws `config_invalid` when the stored credentials cannot be decrypted (wrong
   * CHAIRSIDE_SECRET_KEY) or do not pass the plugin's schema; `not_found` for an unknown salon.
   */
  async resolve(tenantId: string, channelName: string): Promise<SalonChannel | null> {
    if (!Object.hasOwn(this.deps.plugins, channelName)) return null;
    return this.resolveFor(await this.deps.core.catalog.getTenant(tenantId), channelName);
  }

  /** Like `resolve`, by the salon's slug; null also for an unknown salon. */
  async resolveBySlug(slug: string, channelName: string): Promise<SalonChannel | null> {
    if (!Object.hasOwn(this.deps.plugins, channelName) || !SLUG.test(slug)) return null;
    let tenant: TenantView;
    try {
      tenant = await this.deps.core.catalog.getTenantBySlug(slug);
    } catch (e) {
      if (isDomainError(e, "not_found")) return null;
      throw e;
    }
    return this.resolveFor(tenant, channelName);
  }

  /** Forgets cached channels (all, or one salon's): the next use rebuilds them. */
  invalidate(tenantId?: string): void {
    for (const key of [...this.cache.keys()]) if (!tenantId || key.startsWith(`${tenantId}:`)) this.cache.delete(key);
  }

  /**
   * Shutdown: from now on every webhook is answered 503 (the provider delivers it again later, to
   * this server after its restart or to another instance), and resolves once every webhook request
   * already in flight has been answered, so none is cut off halfway (an owner's update handled but
   * not yet recorded as handled, an inbox write) by the database closing under it. For good: the
   * hub does not reopen.
   */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.inFlight]);
  }

  /**
   * What a plugin's webhook or poller calls for one salon: stores the delivery in the inbox (one
   * transaction), then kicks the worker. Resolves only once stored: the provider gets 200 after.
   */
  deliverer(tenant: TenantView, channelName: string): (delivery: WebhookDelivery) => Promise<void> {
    return async (delivery) => {
      const { chats } = await this.deps.inbox.record({
        tenantId: tenant.id,
        channel: channelName,
        messages: delivery.messages.map((m) => ({ externalId: m.eventId, chatId: m.chatId, userId: m.userId, payload: m })),
        statuses: delivery.statuses,
        subscriptions: delivery.notices.filter((n) => n.kind === "subscription").map((n) => ({ userId: n.userId, subscribed: n.subscribed })),
      });
      if (chats.length > 0) this.deps.onDelivered?.(chats.map((chatId) => ({ tenantId: tenant.id, channel: channelName, chatId })));
    };
  }

  /**
   * The route handler for `app.all("/webhooks/:channel/:slug", ...)`: 404 JSON for an unknown
   * channel or salon, a disabled connection, or a channel without a webhook in this mode
   * (Telegram with long polling); 503 when the salon's credentials cannot be used.
   */
  webhookRoute(): RequestHandler {
    return async (req, res, next) => {
      if (this.closed) {
        res.status(503).set("Retry-After", "30").json(errorBody("unavailable", "The server is stopping; deliver this again later"));
        return;
      }
      const answered = new Promise<void>((resolve) => res.once("close", () => resolve()));
      this.inFlight.add(answered);
      void answered.then(() => this.inFlight.delete(answered));
      const channelName = String(req.params.channel ?? "");
      const slug = String(req.params.slug ?? "");
      let salonChannel: SalonChannel | null;
      try {
        salonChannel = await this.resolveBySlug(slug, channelName);
      } catch (e) {
        if (!isDomainError(e, "config_invalid")) throw e; // the database: 500 through the error handler, the provider retries
        this.deps.log.error("A webhook arrived for a channel whose credentials cannot be used", { channel: channelName, error: describe(e) });
        res.status(503).json(errorBody("unavailable", "This channel is not configured correctly; the server log says why"));
        return;
      }
      if (!salonChannel) {
        res.status(404).json(errorBody("not_found", "No enabled channel of that name for that salon"));
        return;
      }
      let handler: RequestHandler;
      try {
        handler = salonChannel.webhook();
      } catch (e) {
        if (!isDomainError(e, "config_invalid")) throw e;
        res.status(404).json(errorBody("not_found", "This channel does not take webhooks in its current mode"));
        return;
      }
      await handler(req, res, next);
    };
  }

  private async resolveFor(tenant: TenantView, channelName: string): Promise<SalonChannel | null> {
    const plugin = this.deps.plugins[channelName];
    if (!plugin) return null;
    const version = await this.deps.connections.version(tenant.id, channelName);
    const key = `${tenant.id}:${channelName}`;
    if (!version?.enabled) {
      this.cache.delete(key);
      return null;
    }
    const cached = this.cache.get(key);
    if (cached && cached.version === version.updatedAt.getTime()) return { ...cached, tenant };
    const built = await this.build(tenant, plugin);
    if (built) this.cache.set(key, built);
    return built;
  }

  private async build(tenant: TenantView, plugin: AnyChannelPlugin): Promise<SalonChannel | null> {
    const stored = await this.deps.connections.getCredentials(tenant.id, plugin.name);
    if (!stored?.enabled) return null;
    const credentials = validCredentials(plugin, tenant, stored.credentials);
    const log = this.deps.log;
    const prisma = this.deps.core.prisma;
    const owner = this.deps.ownerDesk?.(tenant, plugin.name);
    const deps = { credentials, log, tenantId: tenant.id, ...(prisma ? { prisma } : {}), ...(owner ? { owner } : {}), ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}) };
    const channel = plugin.createChannel(deps);
    let webhook: RequestHandler | undefined;
    const salonChannel: SalonChannel = {
      tenant,
      plugin,
      credentials,
      channel,
      version: stored.updatedAt.getTime(),
      webhook: () => {
        webhook ??= plugin.createWebhookHandler({
          ...deps,
          deliver: this.deliverer(tenant, plugin.name),
          welcome: async (_userId, profile) => this.deps.welcome?.(salonChannel.tenant, profile) ?? null,
        });
        return webhook;
      },
    };
    return salonChannel;
  }
}

/**
 * The plugin's view of stored credentials: salon defaults (`senderName`: the salon's name,
 * `locale`: its locale; plugins that do not know them ignore them) under the stored values,
 * validated with the plugin's schema. Throws `config_invalid` listing the problems (the schemas'
 * messages never echo values).
 */
export function validCredentials(plugin: AnyChannelPlugin, tenant: Pick<TenantView, "name" | "locale" | "slug">, stored: Record<string, unknown>): unknown {
  const parsed = plugin.credentialsSchema.safeParse({ senderName: tenant.name, locale: tenant.locale, ...stored });
  if (parsed.success) return parsed.data;
  const problems = [...new Set(parsed.error.issues.map((i) => i.message))].join("; ");
  throw new DomainError("config_invalid", `The ${plugin.name} credentials of salon "${tenant.slug}" are not usable: ${problems}`);
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
