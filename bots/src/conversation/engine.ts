/**
 * The conversation engine every channel calls: loads the chat's state from PostgreSQL, identifies
 * the client (by messenger identity, or by a phone the messenger vouches for), runs `step`, saves
 * the state and returns the prompts for the channel to send.
 *
 * De-duplication and cross-process ordering are the inbox's job (bots/src/channels/inbox-worker.ts):
 * a provider's retry never gets here twice, and one chat is processed by one worker at a time.
 * `process` commits the state together with the inbox row, so an event is handled exactly once.
 */
import { type ChatStores, type ClientView, type Core, type Db, isDomainError, type TenantView } from "@chairside/core";
import { formattingLocale, messagesFor, pickLocale, t } from "../i18n/index.js";
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
  /** The provider's id of this event (Telegram update_id), for logs. */
  eventId?: string;
  profile: Profile;
  event: ConversationEvent;
  /** Whether the channel can share the client's own phone with a button (ChannelLimits.sharesContact); default true. */
  sharesContact?: boolean;
}

/** What the engine needs. */
export interface ConversationEngineDeps {
  core: Core;
  stores: Pick<ChatStores, "states">;
  log: Logger;
}

/** Writes that must commit with the conversation state (the inbox marking the event done). */
export type CommitHook = (tx: Db) => Promise<void>;

/** Runs the client conversation for every channel. */
export class ConversationEngine {
  private readonly queue = new KeyedQueue();

  constructor(private readonly deps: ConversationEngineDeps) {}

  /**
   * Handles one event and returns the prompts to send, in order, for callers without an inbox
   * (tests, tools): serialised per chat in this process. Never throws for a failing step: it logs
   * the error, keeps the stored state as it was, and returns an apology with the main menu.
   */
  handle(input: InboundEnvelope): Promise<Prompt[]> {
    return this.queue.run(`${input.tenant.id}\u0000${input.channel}\u0000${input.chatId}`, () => this.run(input, null));
  }

  /**
   * Handles one inbox event: like `handle`, but `commit(tx)` runs in the transaction that saves
   * the new state (or alone, when the step failed and the apology is the answer), so the state
   * and the inbox row commit together. Throws DomainError `conflict` when the state or the event
   * was changed by another worker meanwhile: nothing was saved and nothing must be sent. Other
   * errors thrown by `commit` (a database outage) are thrown too: the event stays pending.
   */
  process(input: InboundEnvelope, commit: CommitHook): Promise<Prompt[]> {
    return this.run(input, commit);
  }

  /**
   * The greeting with the main menu, without touching any state (Viber's welcome message, sent
   * in the HTTP response to conversation_started before the user has written anything).
   */
  welcome(tenant: TenantView, profile: Profile): Prompt {
    const messages = messagesFor(pickLocale(profile.languageCode, tenant.locale));
    return { text: t(messages, "welcome", { salon: tenant.name }), choices: menuChoices({ messages }) };
  }

  private async run(input: InboundEnvelope, commit: CommitHook | null): Promise<Prompt[]> {
    const { core, stores, log } = this.deps;
    const { tenant, channel, chatId } = input;
    const fields = { tenant: tenant.slug, channel, chatId, eventId: input.eventId, event: input.event.kind };
    let language = pickLocale(input.profile.languageCode, tenant.locale);
    let stepName = "?";
    try {
      const key = { tenantId: tenant.id, channel, chatId };
      const stored = await stores.states.load(key);
      const state = parseState(stored?.state ?? INITIAL_STATE);
      stepName = state.step;
      const version = stored?.version ?? 0;
      const client = await this.identify(input);
      language = pickLocale(input.profile.languageCode ?? client?.locale, tenant.locale);
      const messages = messagesFor(language);
      const now = core.clock.now();
      const ctx: StepContext = {
        core,
        tenant,
        channel,
        sharesContact: input.sharesContact ?? true,
        userId: input.userId,
        profile: input.profile,
        client,
        messages,
        format: new Formatter(tenant.timeZone, formattingLocale(language, tenant.locale), messages, now),
        now,
        version,
      };
      const result = await step(state, input.event, ctx);
      await core.prisma.$transaction(async (tx) => {
        await stores.states.save(key, result.state, version, tx);
        if (commit) await commit(tx);
      });
      log.debug("conversation step", { ...fields, from: state.step, to: result.state.step });
      return result.prompts;
    } catch (e) {
      // Inbox processing: another worker got there first; it answers, we stay silent.
      if (commit && isDomainError(e, "conflict")) throw e;
      log.error("conversation step failed", { ...fields, step: stepName, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      const messages = messagesFor(language);
      const apology = [{ text: messages.error, choices: menuChoices({ messages }) }];
      if (commit) await core.prisma.$transaction((tx) => commit(tx));
      return apology;
    }
  }

  /**
   * The client behind the sender's identity; when there is none yet and the messenger vouches for
   * the sender's phone (`profile.verifiedPhone`), identifies them by it (linking this identity to
   * the salon's client with that verified phone, e.g. one who booked on Telegram). A phone that
   * does not parse is logged and ignored: the conversation then asks as usual.
   */
  private async identify(input: InboundEnvelope): Promise<ClientView | null> {
    const { core, log } = this.deps;
    const ref = { tenantId: input.tenant.id, channel: input.channel, externalId: input.userId };
    const client = await core.clients.findByIdentity(ref);
    const phone = input.profile.verifiedPhone;
    if (client || !phone) return client;
    try {
      return await core.clients.identifyWithVerifiedPhone({
        ...ref,
        phone,
        name: (input.profile.name?.trim() || phone).slice(0, 100),
        ...(input.profile.languageCode ? { locale: input.profile.languageCode } : {}),
      });
    } catch (e) {
      if (!isDomainError(e, "invalid_phone")) throw e;
      log.warn("A verified phone from the channel did not parse; the client will be asked", { tenant: input.tenant.slug, channel: input.channel, chatId: input.chatId });
      return null;
    }
  }
}
