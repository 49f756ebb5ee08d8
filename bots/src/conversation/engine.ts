/**
 * The conversation engine every channel calls: de-duplicates provider events, serialises one
 * chat's events, loads the chat's state from PostgreSQL, runs `step`, saves the state and returns
 * the prompts for the channel to send.
 */
import type { ChatStores, Core, TenantView } from "@chairside/core";
import { formattingLocale, messagesFor, pickLocale } from "../i18n/index.js";
import { Formatter } from "./format.js";
import { KeyedQueue } from "./keyed-queue.js";
import { menuChoices } from "./screens.js";
import { INITIAL_STATE, parseState } from "./state.js";
import { step } from "./step.js";
import type { ConversationEvent, Logger, Profile, Prompt, StepContext } from "./types.js";

/** One inbound event of one chat, as a channel hands it over. */
export interface InboundEnvelope {
  tenant: TenantView;
  /** "telegram", "whatsapp", ... */
  channel: string;
  /** The chat to answer in. */
  chatId: string;
  /** The sender's id on the channel (the client identity's externalId). */
  userId: string;
  /** The provider's id of this event (Telegram update_id) for de-duplication; none = no check. */
  eventId?: string;
  profile: Profile;
  event: ConversationEvent;
}

/** What the engine needs. */
export interface ConversationEngineDeps {
  core: Core;
  stores: ChatStores;
  log: Logger;
}

/** Runs the client conversation for every channel. One instance per process. */
export class ConversationEngine {
  private readonly queue = new KeyedQueue();

  constructor(private readonly deps: ConversationEngineDeps) {}

  /**
   * Handles one event and returns the prompts to send, in order; null when the event was
   * delivered before (nothing to send). Never throws for a failing step: it logs the error,
   * keeps the stored state as it was, and returns an apology with the main menu.
   */
  handle(input: InboundEnvelope): Promise<Prompt[] | null> {
    return this.queue.run(`${input.tenant.id}\u0000${input.channel}\u0000${input.chatId}`, () => this.handleNow(input));
  }

  private async handleNow(input: InboundEnvelope): Promise<Prompt[] | null> {
    const { core, stores, log } = this.deps;
    const { tenant, channel, chatId } = input;
    const fields = { tenant: tenant.slug, channel, chatId, eventId: input.eventId, event: input.event.kind };
    if (input.eventId && !(await stores.ledger.recordOnce({ tenantId: tenant.id, channel, externalId: input.eventId }))) {
      log.info("duplicate inbound event ignored", fields);
      return null;
    }
    let language = pickLocale(input.profile.languageCode, tenant.locale);
    let stepName = "?";
    try {
      const key = { tenantId: tenant.id, channel, chatId };
      const stored = await stores.states.load(key);
      const state = parseState(stored?.state ?? INITIAL_STATE);
      stepName = state.step;
      const version = stored?.version ?? 0;
      const client = await core.clients.findByIdentity({ tenantId: tenant.id, channel, externalId: input.userId });
      language = pickLocale(input.profile.languageCode ?? client?.locale, tenant.locale);
      const messages = messagesFor(language);
      const now = core.clock.now();
      const ctx: StepContext = {
        core,
        tenant,
        channel,
        userId: input.userId,
        profile: input.profile,
        client,
        messages,
        format: new Formatter(tenant.timeZone, formattingLocale(language, tenant.locale), messages, now),
        now,
        version,
      };
      const result = await step(state, input.event, ctx);
      await stores.states.save(key, result.state, version);
      log.debug("conversation step", { ...fields, from: state.step, to: result.state.step });
      return result.prompts;
    } catch (e) {
      log.error("conversation step failed", { ...fields, step: stepName, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      const messages = messagesFor(language);
      const choices = menuChoices({ messages });
      return [{ text: messages.error, choices }];
    }
  }
}
