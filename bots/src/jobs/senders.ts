/**
 * The outbox's `Sender` port on the bots side: each salon's channel from the channel platform
 * (ChannelHub.resolve: the plugin's `createChannel` with the salon's decrypted credentials), the
 * message rendered from the catalogue (and the salon's template for its kind, from the registry),
 * sent with the channel's `sendNotification` capability where it has one (WhatsApp: text inside
 * the 24-hour window, else the template; our outbox id in `biz_opaque_callback_data`), else with
 * its `send` (statuses then match by the provider's message id).
 */
import { DeliveryError, type OutboundMessage, type Sender, type SenderDirectory } from "@chairside/core";
import type { Channel } from "../channels/channel.js";
import type { Logger } from "../log.js";
import { renderNotification, renderTemplate } from "./render.js";

/** Finds a salon's channel: ChannelHub.resolve in production. */
export type ResolveChannel = (tenantId: string, channel: string) => Promise<{ channel: Channel } | null>;

/**
 * Turns a provider's error into a DeliveryError: 400, 403 and 404 (bad request, a user who blocked
 * the bot, an unknown chat) are permanent; 429 waits for retry_after; anything else is temporary.
 * Reads grammY's `error_code` / `parameters.retry_after` and an HTTP `status`.
 */
export function classifyProviderError(e: unknown): DeliveryError {
  if (e instanceof DeliveryError) return e;
  const any = e as { error_code?: unknown; status?: unknown; statusCode?: unknown; parameters?: { retry_after?: unknown }; message?: unknown };
  const code = [any?.error_code, any?.status, any?.statusCode].find((c): c is number => typeof c === "number");
  const message = typeof any?.message === "string" ? any.message : String(e);
  if (code === 429) {
    const after = typeof any.parameters?.retry_after === "number" ? any.parameters.retry_after * 1000 : undefined;
    return new DeliveryError(message, false, after);
  }
  return new DeliveryError(message, code === 400 || code === 403 || code === 404);
}

/**
 * A Sender on one salon's channel. The provider's id is the first id `send` returns (Telegram
 * message_id, WhatsApp wamid, Viber message_token); a channel that returns none gets
 * "<channel>:<outbox id>". `send` takes no AbortSignal: the worker renews its claim while it runs.
 */
export function channelSender(name: string, channel: Channel, now: () => Date): Sender {
  return {
    channel: name,
    async send(message: OutboundMessage) {
      const at = now();
      const prompt = renderNotification(message, at);
      let ids: void | readonly string[];
      try {
        if (channel.sendNotification) {
          const template = message.channelTemplate ?? null;
          const providerMessageId = await channel.sendNotification(message.recipient, {
            trackingId: message.outboxId,
            kind: message.kind,
            prompt,
            template: () => (template ? renderTemplate(message, template, at) : null),
            lastInboundAt: message.lastInboundAt ?? null,
            now: at,
          });
          return { providerMessageId };
        }
        ids = await channel.send(message.recipient, [prompt]);
      } catch (e) {
        throw classifyProviderError(e);
      }
      return { providerMessageId: ids?.[0] ?? `${name}:${message.outboxId}` };
    },
  };
}

/** Every salon's senders, through the channel platform. Channels whose credentials cannot be used count as not set up (logged). */
export class ChannelSenders implements SenderDirectory {
  constructor(
    private readonly deps: { resolve: ResolveChannel; channelNames: readonly string[]; now: () => Date; log: Logger },
  ) {}

  async get(tenantId: string, channel: string): Promise<Sender | undefined> {
    try {
      const resolved = await this.deps.resolve(tenantId, channel);
      return resolved ? channelSender(channel, resolved.channel, this.deps.now) : undefined;
    } catch (e) {
      this.deps.log.warn("A salon's channel cannot be used for notifications", { tenantId, channel, error: e instanceof Error ? e.message : String(e) });
      return undefined;
    }
  }

  async channelsOf(tenantId: string): Promise<string[]> {
    const found: string[] = [];
    for (const name of this.deps.channelNames) if (await this.get(tenantId, name)) found.push(name);
    return found;
  }
}
