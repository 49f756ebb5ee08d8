/**
 * The channel platform of one server process, as main.ts uses it:
 *
 *   const platform = new ChannelPlatform({ core, connections, publicUrl, log });
 *   await platform.applyEnvironment(firstSalon, config);   // env → the first salon's connections (encrypted)
 *   platform.mount(app);                                   // ALL /webhooks/:channel/:slug
 *   ...listen...
 *   const lines = await platform.start();                  // per salon: plugin.start (polling, setWebhook), the worker
 *   ...
 *   await platform.stop();
 *
 * Every message goes webhook/poller → inbox (persist first) → worker → conversation → channel.
 */
import {
  type ChannelConnectionsService,
  ChatLeaseStore,
  type ChatStateStore,
  type Core,
  createChatStores,
  isDomainError,
  type TenantView,
  WorkerLiveness,
} from "@chairside/core";
import type { Express } from "express";
import { ConversationEngine } from "../conversation/engine.js";
import { OwnerDesk } from "../owner/desk.js";
import type { Logger } from "../log.js";
import { type AnyChannelPlugin, ChannelHub } from "./dispatch.js";
import { InboxWorker, type InboxWorkerTuning } from "./inbox-worker.js";
import type { ChannelStartResult } from "./plugin.js";
import { CHANNEL_LABELS, type ChannelName, isChannelName, OFF_HINTS, PLUGINS, splitCredentials, WEBHOOK_HINTS } from "./registry.js";

/** The messenger credentials the environment gives for the first salon (bots/src/config.ts). */
export interface EnvironmentChannels {
  telegram: { token: string; apiRoot: string; webhook: { secret: string } | null } | null;
  whatsapp: { phoneNumberId: string; accessToken: string; appSecret: string; verifyToken: string; graphUrl: string } | null;
  viber: { authToken: string; apiUrl: string } | null;
}

/** Options of the platform. */
export interface ChannelPlatformOptions {
  core: Core;
  connections: ChannelConnectionsService;
  /** PUBLIC_URL without a trailing slash, or null (no webhooks; Telegram polls). */
  publicUrl: string | null;
  /**
   * The database URL, for the worker's liveness connection (a killed process's chats are taken
   * over at once, not after their lease expires). Without it leases end by expiry only.
   */
  databaseUrl?: string;
  log: Logger;
  /** Default: the registry's plugins. */
  plugins?: Readonly<Record<string, AnyChannelPlugin>>;
  /** Replaces the global fetch of every plugin (tests). */
  fetch?: typeof fetch;
  worker?: Partial<InboxWorkerTuning>;
  /** Channels that host the owner's side (owner commands and alerts in chats linked to staff). Default: Telegram. */
  ownerChannels?: readonly string[];
}

/** One banner line: "<label>: <text>" for the first salon, "<label> (<slug>): <text>" for others. */
export interface ChannelBannerLine {
  channel: string;
  salon: string;
  label: string;
  text: string;
  running: boolean;
}

/** The public URL of a salon's webhook for a channel. */
export function webhookUrlFor(publicUrl: string, channel: string, slug: string): string {
  return `${publicUrl}/webhooks/${encodeURIComponent(channel)}/${encodeURIComponent(slug)}`;
}

/** Replaces every occurrence of the given secret values in `text` (for messages that reach the banner). */
function withoutSecrets(text: string, credentials: unknown): string {
  let out = text;
  if (credentials && typeof credentials === "object") {
    for (const value of Object.values(credentials)) {
      if (typeof value === "string" && value.length >= 8) out = out.split(value).join("[redacted]");
    }
  }
  return out;
}

/** Hub, inbox worker and conversation engine of one process, and the per-salon start-up. */
export class ChannelPlatform {
  readonly engine: ConversationEngine;
  readonly hub: ChannelHub;
  readonly worker: InboxWorker;
  private readonly plugins: Readonly<Record<string, AnyChannelPlugin>>;
  private readonly started: { name: string; stop(): Promise<void> }[] = [];
  private liveness: WorkerLiveness | null = null;
  private readonly ownerStates: ChatStateStore;

  constructor(private readonly options: ChannelPlatformOptions) {
    const { core, log } = options;
    // Status webhooks are applied to the outbox (and fall back) in the transaction that stores them.
    const stores = createChatStores(core.prisma, { onStatuses: core.notifications.onStatusReports });
    this.ownerStates = stores.states;
    this.plugins = options.plugins ?? PLUGINS;
    this.engine = new ConversationEngine({ core, stores, log: log.child("conversation") });
    this.hub = new ChannelHub({
      core,
      connections: options.connections,
      inbox: stores.inbox,
      plugins: this.plugins,
      log: log.child("webhooks"),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      onDelivered: (chats) => chats.forEach((chat) => this.worker.kick(chat)),
      welcome: (tenant, profile) => this.engine.welcome(tenant, profile),
      ownerDesk: (tenant, channel) => this.ownerDesk(tenant, channel),
    });
    this.worker = new InboxWorker(
      {
        inbox: stores.inbox,
        leases: new ChatLeaseStore(core.prisma, () => this.liveness?.key ?? 0),
        engine: this.engine,
        resolve: (tenantId, channel) => this.hub.resolve(tenantId, channel),
        log: log.child("inbox"),
      },
      options.worker,
    );
  }

  /**
   * Writes the environment's messenger credentials into `tenant`'s connections (encrypted),
   * replacing what was stored: for the first salon the environment wins. Channels the
   * environment does not configure keep their stored connection.
   */
  async applyEnvironment(tenant: TenantView, env: EnvironmentChannels): Promise<void> {
    const values: Partial<Record<ChannelName, Record<string, unknown>>> = {};
    if (env.telegram) values.telegram = { token: env.telegram.token, apiRoot: env.telegram.apiRoot, webhookSecret: env.telegram.webhook?.secret };
    if (env.whatsapp) values.whatsapp = { ...env.whatsapp };
    if (env.viber) values.viber = { ...env.viber };
    for (const [channel, credentials] of Object.entries(values) as [ChannelName, Record<string, unknown>][]) {
      await this.options.connections.upsert({ tenantId: tenant.id, channel, enabled: true, ...splitCredentials(channel, credentials) });
    }
    this.hub.invalidate(tenant.id);
  }

  /** Mounts `ALL /webhooks/:channel/:slug` on `app` (before the fallbacks). */
  mount(app: Express): void {
    app.all("/webhooks/:channel/:slug", this.hub.webhookRoute());
  }

  /**
   * Starts every salon's enabled channels (the plugin's `start`: Telegram polling or setWebhook,
   * Viber set_webhook) and the inbox worker. Call once the HTTP server listens. A channel that
   * cannot start is reported in its banner line and logged; the others run.
   */
  async start(firstSalon: TenantView | null): Promise<ChannelBannerLine[]> {
    const { connections, log } = this.options;
    const lines: ChannelBannerLine[] = [];
    const configured = new Set<string>();
    for (const entry of await connections.listEnabledCredentials()) {
      const tenantId = entry.ok ? entry.value.tenantId : entry.tenantId;
      const channel = entry.ok ? entry.value.channel : entry.channel;
      if (!Object.hasOwn(this.plugins, channel)) continue;
      const tenant = await this.options.core.catalog.getTenant(tenantId);
      configured.add(`${tenantId}:${channel}`);
      const line = (text: string, running: boolean): ChannelBannerLine => ({
        channel,
        salon: tenant.slug,
        label: isChannelName(channel) ? CHANNEL_LABELS[channel] : channel,
        text,
        running,
      });
      if (!entry.ok) {
        log.error("Channel credentials cannot be used", { channel, salon: tenant.slug, error: entry.error.message });
        lines.push(line(`NOT running: ${entry.error.message}`, false));
        continue;
      }
      lines.push(line(...(await this.startOne(tenant, channel))));
    }
    if (firstSalon) {
      for (const channel of Object.keys(this.plugins)) {
        if (configured.has(`${firstSalon.id}:${channel}`)) continue;
        const label = isChannelName(channel) ? CHANNEL_LABELS[channel] : channel;
        const hint = isChannelName(channel) ? OFF_HINTS[channel] : "not configured";
        lines.push({ channel, salon: firstSalon.slug, label, text: `off. ${hint}.`, running: false });
      }
    }
    if (this.options.databaseUrl) {
      try {
        this.liveness = await WorkerLiveness.acquire(this.options.databaseUrl);
      } catch (e) {
        log.warn("No worker liveness connection: chats of a crashed process wait for their lease to expire", { error: e });
      }
    }
    this.worker.start();
    const order = Object.keys(this.plugins);
    const first = firstSalon?.slug;
    return lines.sort((a, b) => Number(a.salon !== first) - Number(b.salon !== first) || order.indexOf(a.channel) - order.indexOf(b.channel));
  }

  /**
   * Stops pollers (no new deliveries), then the worker, which finishes the events in progress;
   * events stored meanwhile stay pending for the next start or another instance.
   */
  async stop(): Promise<void> {
    for (const item of this.started.splice(0).reverse()) {
      try {
        await item.stop();
      } catch (e) {
        this.options.log.error(`Stopping ${item.name} failed`, { error: e });
      }
    }
    await this.worker.stop();
    await this.liveness?.close();
    this.liveness = null;
  }

  /** The owner desk of a salon's channel, for the channels in `ownerChannels`. */
  private ownerDesk(tenant: TenantView, channel: string): OwnerDesk | undefined {
    if (!(this.options.ownerChannels ?? ["telegram"]).includes(channel)) return undefined;
    return new OwnerDesk({ core: this.options.core, tenantId: tenant.id, channel, states: this.ownerStates, log: this.options.log.child("owner") });
  }

  private async startOne(tenant: TenantView, channel: string): Promise<[string, boolean]> {
    const { publicUrl, log } = this.options;
    const label = isChannelName(channel) ? CHANNEL_LABELS[channel] : channel;
    let credentials: unknown;
    try {
      const salonChannel = await this.hub.resolve(tenant.id, channel);
      if (!salonChannel) return ["off (disabled)", false];
      credentials = salonChannel.credentials;
      const plugin = salonChannel.plugin;
      const webhookUrl = publicUrl ? webhookUrlFor(publicUrl, channel, tenant.slug) : null;
      const owner = this.ownerDesk(tenant, channel);
      if (!plugin.start) {
        if (!webhookUrl) return [`NOT running: ${label} needs PUBLIC_URL (it only delivers to a webhook).`, false];
        const hint = isChannelName(channel) ? WEBHOOK_HINTS[channel] : "";
        return [`webhook ${webhookUrl}${hint ? ` ${hint}` : ""}`, true];
      }
      const result: ChannelStartResult = await plugin.start({
        credentials,
        log: log.child(channel),
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
        salon: { slug: tenant.slug, name: tenant.name, locale: tenant.locale },
        webhookUrl,
        deliver: this.hub.deliverer(tenant, channel),
        ...(owner ? { owner } : {}),
      });
      this.started.push({ name: `${label} of ${tenant.slug}`, stop: () => result.stop() });
      return [result.line, true];
    } catch (e) {
      // The admin and the other channels keep working; the banner says what to fix.
      const reason = withoutSecrets(e instanceof Error ? e.message : String(e), credentials);
      log.error(`${label} did not start`, { salon: tenant.slug, error: reason, ...(isDomainError(e) ? { code: e.code } : {}) });
      return [`NOT running: ${reason}. Fix it and restart.`, false];
    }
  }
}
