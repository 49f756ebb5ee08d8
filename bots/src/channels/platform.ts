/**
 * The channel platform of one server process, as main.ts uses it:
 *
 *   const platform = new ChannelPlatform({ core, connections, publicUrl, log });
 *   await platform.applyEnvironment(firstSalon, config);   // env → the first salon's connections (encrypted)
 *   platform.mount(app);                                   // ALL /webhooks/:channel/:slug
 *   ...listen...
 *   const lines = await platform.start();                  // per salon: plugin.start (polling, setWebhook), the worker,
 *   ...                                                    //   then every reconcileIntervalMs: platform.reconcile()
 *   await platform.stop();                                 // the loop, then the channels, then the worker
 *
 * Reconciling compares the enabled connections (their updatedAt) with what runs: a connection
 * added, replaced or disabled while the server runs (Settings → Channels, the CLI) is started,
 * restarted with its new credentials or stopped through the same plugin `start`/`stop` as at start.
 *
 * Every message goes webhook/poller → inbox (persist first) → worker → conversation → channel.
 */
import {
  type ChannelConnectionsService,
  ChatLeaseStore,
  type ChatStateStore,
  type InboxStore,
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
  /**
   * How long after one reconcile (see `ChannelPlatform.reconcile`) the next one starts, ms; a
   * positive integer. Default 15 000.
   */
  reconcileIntervalMs?: number;
  /**
   * Runs at the start of every reconcile, before the connections are listed: writes connections
   * that need no credentials (web chat for a salon added while the server runs). Its failure is
   * logged and the reconcile goes on.
   */
  beforeReconcile?: () => Promise<void>;
  /**
   * When a channel whose plugin `start` failed (the Bot API unreachable at boot, a refused token)
   * is tried again with the same connection, ms: `baseMs` after the first failure, doubling, at
   * most `maxMs`. Default 30 s up to 30 min. A changed connection is tried at once.
   */
  startRetry?: { baseMs: number; maxMs: number };
  /** The current time, ms since the epoch, for `startRetry` (tests). Default Date.now. */
  now?: () => number;
  /** How long a plugin's first check with its provider may take at start, ms (tests); the plugin's default when absent. */
  checkTimeoutMs?: number;
}

/** One salon's channel as this process runs it (`ChannelPlatform.status`). */
export interface ChannelStatus {
  channel: string;
  running: boolean;
  /** How it runs ("long polling as @salon_bot"), or why not ("NOT running: ..."). */
  text: string;
}

/** The default of `ChannelPlatformOptions.startRetry`. */
export const DEFAULT_START_RETRY = { baseMs: 30_000, maxMs: 30 * 60_000 } as const;

/** The default of `ChannelPlatformOptions.reconcileIntervalMs`, ms. */
export const DEFAULT_RECONCILE_INTERVAL_MS = 15_000;

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

/** What `listEnabledCredentials` lists: one enabled connection, decrypted or with the reason it cannot be. */
type EnabledConnection = Awaited<ReturnType<ChannelConnectionsService["listEnabledCredentials"]>>[number];

/** A salon's channel as the platform started it (or tried to). */
interface RunningChannel {
  tenantId: string;
  channel: string;
  /** The salon's slug, for log lines. */
  salon: string;
  label: string;
  /** The connection's updatedAt (ms) it was started from; null when unknown. */
  version: number | null;
  /** True when it runs (the banner's `running`); false when it could not start. */
  running: boolean;
  /** The banner's text: how it runs, or why not (never a secret). */
  text: string;
  /** Stops what the plugin's `start` started; null when nothing was started. */
  stop: (() => Promise<void>) | null;
  /** The plugin's `disconnect` (for a connection turned off or replaced); null when it has none. */
  disconnect: (() => Promise<void>) | null;
  /** Failed starts in a row at this version (0 when it runs or cannot be retried). */
  failures: number;
  /** When a failed start is tried again (ms since the epoch); null: only when the connection changes. */
  retryAt: number | null;
}

const keyOf = (tenantId: string, channel: string) => `${tenantId}:${channel}`;
const refOf = (entry: EnabledConnection) => (entry.ok ? { tenantId: entry.value.tenantId, channel: entry.value.channel } : { tenantId: entry.tenantId, channel: entry.channel });
const labelOf = (channel: string) => (isChannelName(channel) ? CHANNEL_LABELS[channel] : channel);
const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Hub, inbox worker and conversation engine of one process, the per-salon start-up, and the
 * reconcile loop that keeps the started channels in line with the stored connections.
 */
export class ChannelPlatform {
  readonly engine: ConversationEngine;
  readonly hub: ChannelHub;
  readonly worker: InboxWorker;
  private readonly plugins: Readonly<Record<string, AnyChannelPlugin>>;
  /** Per `${tenantId}:${channel}`, in start order: what runs, or was tried at its version. */
  private readonly channels = new Map<string, RunningChannel>();
  private phase: "new" | "running" | "stopped" = "new";
  /** The start-up or reconcile in progress (never rejects): the next reconcile waits for it, and so does `stop`. */
  private tail: Promise<void> = Promise.resolve();
  /** A reconcile waiting for the one in progress; calls meanwhile share it. */
  private queued: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly reconcileIntervalMs: number;
  private liveness: WorkerLiveness | null = null;
  private readonly ownerStates: ChatStateStore;
  private readonly ownerHandled: InboxStore;

  constructor(private readonly options: ChannelPlatformOptions) {
    const { core, log } = options;
    this.reconcileIntervalMs = options.reconcileIntervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS;
    if (!Number.isSafeInteger(this.reconcileIntervalMs) || this.reconcileIntervalMs <= 0) {
      throw new RangeError(`reconcileIntervalMs must be a positive whole number of milliseconds, not ${options.reconcileIntervalMs}`);
    }
    // Status webhooks are applied to the outbox (and fall back) in the transaction that stores them.
    const stores = createChatStores(core.prisma, { onStatuses: core.notifications.onStatusReports });
    this.ownerStates = stores.states;
    this.ownerHandled = stores.inbox;
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
   * Viber set_webhook), the inbox worker and the reconcile loop (see `reconcile`). Call once, when
   * the HTTP server listens. A channel that cannot start is reported in its banner line and
   * logged; the others run. Throws when called a second time.
   */
  async start(firstSalon: TenantView | null): Promise<ChannelBannerLine[]> {
    if (this.phase !== "new") throw new Error("ChannelPlatform.start() can be called once: create a new platform to start again");
    this.phase = "running";
    const { connections, log } = this.options;
    const lines: ChannelBannerLine[] = [];
    const configured = new Set<string>();
    const startup = (async () => {
      for (const entry of await connections.listEnabledCredentials()) {
        if (this.phase !== "running") return;
        const { tenantId, channel } = refOf(entry);
        if (!Object.hasOwn(this.plugins, channel)) continue;
        const tenant = await this.options.core.catalog.getTenant(tenantId);
        configured.add(keyOf(tenantId, channel));
        const [text, running] = await this.launch(tenant, entry);
        lines.push({ channel, salon: tenant.slug, label: labelOf(channel), text, running });
      }
      if (this.options.databaseUrl && this.phase === "running") {
        try {
          this.liveness = await WorkerLiveness.acquire(this.options.databaseUrl);
        } catch (e) {
          log.warn("No worker liveness connection: chats of a crashed process wait for their lease to expire", { error: e });
        }
      }
    })();
    // `stop()` during the start-up waits for it, then stops what it started.
    this.tail = startup.catch(() => {});
    await startup;
    if (firstSalon) {
      for (const channel of Object.keys(this.plugins)) {
        if (configured.has(keyOf(firstSalon.id, channel))) continue;
        const hint = isChannelName(channel) ? OFF_HINTS[channel] : "not configured";
        lines.push({ channel, salon: firstSalon.slug, label: labelOf(channel), text: `off. ${hint}.`, running: false });
      }
    }
    if (this.phase === "running") {
      this.worker.start();
      this.scheduleReconcile();
    }
    const order = Object.keys(this.plugins);
    const first = firstSalon?.slug;
    return lines.sort((a, b) => Number(a.salon !== first) - Number(b.salon !== first) || order.indexOf(a.channel) - order.indexOf(b.channel));
  }

  /**
   * Brings the started channels in line with the enabled connections: starts the newly enabled
   * ones, restarts those whose connection changed (stops the old, then starts with the new
   * credentials), stops the disabled and removed ones, through the same plugin `start` and `stop`
   * as `start()`, with one info line per change. A channel whose plugin `start` failed is tried
   * again when its connection changes, and with the same connection after a backoff
   * (`startRetry`: 30 s, doubling, at most 30 min), so a Bot API away at boot does not leave the
   * bot off until a restart. One runs at a time: a call during a reconcile waits for it and
   * then runs once more (calls meanwhile share that run). A failing channel is logged and the
   * others go on; rejects only when the connections cannot be listed (the database). Does nothing
   * before `start()` and after `stop()`. Runs every `reconcileIntervalMs`; call it to apply a
   * change at once.
   */
  reconcile(): Promise<void> {
    if (this.phase !== "running") return Promise.resolve();
    this.queued ??= this.tail.then(() => {
      this.queued = null;
      return this.reconcileNow();
    });
    const run = this.queued;
    this.tail = run.catch(() => {});
    return run;
  }

  /**
   * Stops the reconcile loop and waits for a start-up or reconcile in progress (it starts nothing
   * more), closes the webhook route (503 from now on; the requests in flight are answered first,
   * see `ChannelHub.close`), then stops pollers (no new deliveries), then the worker, which
   * finishes the events in progress; events stored meanwhile stay pending for the next start or
   * another instance.
   */
  async stop(): Promise<void> {
    this.phase = "stopped";
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.tail;
    // No new webhooks (503: the provider retries), and the ones in flight are answered first.
    await this.hub.close();
    // Shutdown: pollers stop, but webhooks stay registered (a restart or another instance takes them).
    for (const [key, running] of [...this.channels].reverse()) await this.halt(key, running, { disconnect: false });
    await this.worker.stop();
    await this.liveness?.close();
    this.liveness = null;
  }

  /** The owner desk of a salon's channel, for the channels in `ownerChannels`. */
  private ownerDesk(tenant: TenantView, channel: string): OwnerDesk | undefined {
    if (!(this.options.ownerChannels ?? ["telegram"]).includes(channel)) return undefined;
    return new OwnerDesk({ core: this.options.core, tenantId: tenant.id, channel, states: this.ownerStates, handled: this.ownerHandled, log: this.options.log.child("owner") });
  }

  /** Arms the loop: the next reconcile starts `reconcileIntervalMs` after the previous one ended. */
  private scheduleReconcile(): void {
    if (this.phase !== "running") return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.reconcile()
        .catch((e: unknown) => this.options.log.error("Could not compare the channels with their stored connections; trying again later", { error: describe(e) }))
        .finally(() => this.scheduleReconcile());
    }, this.reconcileIntervalMs);
  }

  private async reconcileNow(): Promise<void> {
    if (this.phase !== "running") return;
    await this.options.beforeReconcile?.().catch((e: unknown) => this.options.log.error("Could not write the connections that need no credentials", { error: describe(e) }));
    const wanted = new Map<string, EnabledConnection>();
    for (const entry of await this.options.connections.listEnabledCredentials()) {
      const { tenantId, channel } = refOf(entry);
      if (Object.hasOwn(this.plugins, channel)) wanted.set(keyOf(tenantId, channel), entry);
    }
    for (const [key, running] of [...this.channels]) {
      if (this.phase !== "running") return;
      if (wanted.has(key)) continue;
      await this.halt(key, running, { disconnect: true });
      this.options.log.info(`${running.label} ${running.running ? "stopped" : "is off"} for salon ${running.salon} (connection disabled or removed)`);
    }
    for (const [key, entry] of wanted) {
      if (this.phase !== "running") return;
      try {
        await this.apply(key, entry);
      } catch (e) {
        const { tenantId, channel } = refOf(entry);
        const error = withoutSecrets(describe(e), entry.ok ? entry.value.credentials : undefined);
        this.options.log.error(`Could not apply the ${labelOf(channel)} connection of salon ${tenantId}`, { error });
      }
    }
  }

  /** Starts or restarts one listed connection when it is new or its version changed. */
  private async apply(key: string, entry: EnabledConnection): Promise<void> {
    const { tenantId, channel } = refOf(entry);
    const version = entry.ok ? entry.value.updatedAt.getTime() : ((await this.options.connections.version(tenantId, channel))?.updatedAt.getTime() ?? null);
    const previous = this.channels.get(key);
    const retry = previous !== undefined && previous.version === version && previous.retryAt !== null && this.now() >= previous.retryAt;
    if (previous && previous.version === version && !retry) return;
    const tenant = await this.options.core.catalog.getTenant(tenantId);
    if (previous) await this.halt(key, previous, { disconnect: true });
    else this.hub.invalidate(tenantId);
    const [, running] = await this.launch(tenant, entry, retry ? previous.failures : 0);
    const label = labelOf(channel);
    const why = retry ? `try ${previous.failures + 1}` : previous ? "connection changed" : "new connection";
    if (running) this.options.log.info(`${label} started for salon ${tenant.slug} (${why})`);
    else if (previous?.running) this.options.log.info(`${label} stopped for salon ${tenant.slug} (${why}; the new one did not start)`);
  }

  /**
   * Stops one started channel and forgets it and the salon's cached channels; with `disconnect`
   * (its connection was turned off or replaced) also undoes its provider registration. Failures
   * are logged.
   */
  private async halt(key: string, running: RunningChannel, options: { disconnect: boolean }): Promise<void> {
    this.channels.delete(key);
    this.hub.invalidate(running.tenantId);
    for (const [step, run] of [["Stopping", running.stop], ["Disconnecting", options.disconnect ? running.disconnect : null]] as const) {
      if (!run) continue;
      try {
        await run();
      } catch (e) {
        this.options.log.error(`${step} ${running.label} of ${running.salon} failed`, { error: describe(e) });
      }
    }
  }

  /**
   * Starts one listed connection (see `startOne`) and records it with its version, whether it
   * started or not; returns the banner text and whether it runs. Throws only for the database.
   */
  private async launch(tenant: TenantView, entry: EnabledConnection, failuresBefore = 0): Promise<[string, boolean]> {
    const { tenantId, channel } = refOf(entry);
    type Handles = Pick<RunningChannel, "stop" | "disconnect">;
    const record = (version: number | null, running: boolean, text: string, { stop, disconnect }: Handles, retryable = false) => {
      const failures = retryable ? failuresBefore + 1 : 0;
      const { baseMs, maxMs } = this.options.startRetry ?? DEFAULT_START_RETRY;
      const retryAt = retryable ? this.now() + Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30)) : null;
      this.channels.set(keyOf(tenantId, channel), { tenantId, channel, salon: tenant.slug, label: labelOf(channel), version, running, text, stop, disconnect, failures, retryAt });
    };
    if (!entry.ok) {
      this.options.log.error("Channel credentials cannot be used", { channel, salon: tenant.slug, error: entry.error.message });
      const text = `NOT running: ${entry.error.message}`;
      record((await this.options.connections.version(tenantId, channel))?.updatedAt.getTime() ?? null, false, text, { stop: null, disconnect: null });
      return [text, false];
    }
    const started = await this.startOne(tenant, channel);
    record(started.version ?? entry.value.updatedAt.getTime(), started.running, started.text, started, started.retryable);
    return [started.text, started.running];
  }

  /**
   * What this process runs for one salon: per started (or tried) channel, whether it runs and
   * the banner's text (how, or why not). Channels never started here (disabled, not connected)
   * are absent. For the admin's Settings → Channels.
   */
  status(tenantId: string): ChannelStatus[] {
    return [...this.channels.values()].filter((c) => c.tenantId === tenantId).map(({ channel, running, text }) => ({ channel, running, text }));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The plugin's `start` for one salon's channel, from the hub's (current) credentials. Never throws. */
  private async startOne(
    tenant: TenantView,
    channel: string,
  ): Promise<{ text: string; running: boolean; version: number | null; stop: RunningChannel["stop"]; disconnect: RunningChannel["disconnect"]; retryable: boolean }> {
    const { publicUrl, log } = this.options;
    const label = labelOf(channel);
    let credentials: unknown;
    let version: number | null = null;
    const result = (text: string, running: boolean, handles: Pick<RunningChannel, "stop" | "disconnect"> = { stop: null, disconnect: null }, retryable = false) => ({
      text,
      running,
      version,
      ...handles,
      retryable,
    });
    try {
      const salonChannel = await this.hub.resolve(tenant.id, channel);
      if (!salonChannel) return result("off (disabled)", false);
      credentials = salonChannel.credentials;
      version = salonChannel.version;
      const plugin = salonChannel.plugin;
      const webhookUrl = publicUrl ? webhookUrlFor(publicUrl, channel, tenant.slug) : null;
      const owner = this.ownerDesk(tenant, channel);
      if (!plugin.start) {
        if (!webhookUrl) return result(`NOT running: ${label} needs PUBLIC_URL (it only delivers to a webhook).`, false);
        const hint = isChannelName(channel) ? WEBHOOK_HINTS[channel] : "";
        return result(`webhook ${webhookUrl}${hint ? ` ${hint}` : ""}`, true);
      }
      const started: ChannelStartResult = await plugin.start({
        credentials,
        log: log.child(channel),
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
        salon: { slug: tenant.slug, name: tenant.name, locale: tenant.locale },
        webhookUrl,
        deliver: this.hub.deliverer(tenant, channel),
        ...(owner ? { owner } : {}),
        ...(this.options.checkTimeoutMs ? { checkTimeoutMs: this.options.checkTimeoutMs } : {}),
      });
      const disconnect = started.disconnect;
      return result(started.line, true, { stop: () => started.stop(), disconnect: disconnect ? () => disconnect.call(started) : null });
    } catch (e) {
      // The admin and the other channels keep working; the banner says what to fix.
      const reason = withoutSecrets(describe(e), credentials);
      log.error(`${label} did not start`, { salon: tenant.slug, error: reason, ...(isDomainError(e) ? { code: e.code } : {}) });
      const { baseMs } = this.options.startRetry ?? DEFAULT_START_RETRY;
      return result(`NOT running: ${reason}. Tried again in ${Math.round(baseMs / 1000)} s, then less often; or fix it in Settings → Channels (or the environment, then restart).`, false, undefined, true);
    }
  }
}
