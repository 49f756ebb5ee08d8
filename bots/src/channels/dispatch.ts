import type { TenantView } from "@chairside/core";
import type { ConversationEngine } from "../conversation/engine.js";
import type { Logger } from "../conversation/types.js";
import type { Channel } from "./channel.js";

/**
 * Runs one provider payload through the conversation: parse, acknowledge, handle (de-duplicated
 * and serialised per chat by the engine), send. Each message of a batch in its own try/catch: a
 * failure to send to one chat never stops the others. Resolves when everything is sent.
 */
export async function dispatch<P>(
  channel: Channel<P>,
  engine: ConversationEngine,
  tenant: TenantView,
  payload: P,
  log: Logger,
): Promise<void> {
  for (const message of channel.parse(payload)) {
    const fields = { channel: channel.name, tenant: tenant.slug, chatId: message.chatId, eventId: message.eventId };
    try {
      await channel.acknowledge?.(message);
      const prompts = await engine.handle({
        tenant,
        channel: channel.name,
        chatId: message.chatId,
        userId: message.userId,
        eventId: message.eventId,
        profile: message.profile,
        event: message.event,
      });
      if (prompts && prompts.length > 0) await channel.send(message.chatId, prompts);
    } catch (e) {
      log.error("Could not answer an inbound message", { ...fields, error: e instanceof Error ? e.message : String(e) });
    }
  }
}
