/**
 * The owner's side of the salon's bot, written once and channel-neutral: pairing, unpairing, the
 * day agenda, the menu, and the steps of recording a delivery. Every method answers with prompts
 * (never throws for what a person can do wrong) and checks for itself that the chat is linked to
 * an active owner or manager. The Telegram runtime routes owner updates here
 * (bots/src/channels/telegram/owner.ts); grammY is not imported here.
 */
import { type ChatStateStore, type Core, type InboxStore, isDomainError, type LinkedOwner, type PairingRefusedDetails, type TenantView } from "@chairside/core";
import type { Logger, Prompt } from "../conversation/types.js";
import { messagesFor, pickLocale, t, type Language, type MessageKey, type Messages } from "../i18n/index.js";
import { OWNER_CHOICES } from "./commands.js";
import { renderAgenda } from "./render.js";

/** Who wrote: the chat and, when the messenger says, the user's name and language. */
export interface OwnerChatRef {
  chatId: string;
  /** The messenger's language of the user (BCP 47), for replies. */
  languageCode?: string | undefined;
  /** The user's display name, kept on the link so the admin can tell chats apart. */
  name?: string | undefined;
}

/** A product a delivery is being recorded for. */
export interface DeliveryProduct {
  id: string;
  name: string;
  unit: string;
}

const REFUSAL: Record<PairingRefusedDetails["reason"], MessageKey> = {
  unknown: "ownerPairUnknown",
  expired: "ownerPairExpired",
  used: "ownerPairUsed",
  not_allowed: "ownerPairNotAllowed",
};

/** What a desk needs: core, the salon, the channel, where multi-step flows keep their state. */
export interface OwnerDeskDeps {
  core: Core;
  tenantId: string;
  /** "telegram". */
  channel: string;
  /** ConversationState rows under the channel name `<channel>-owner` hold the owner flows' state. */
  states: Pick<ChatStateStore, "load" | "save" | "clear">;
  /** InboundEvent rows under the channel name `<channel>-owner` record the owner updates handled. */
  handled: Pick<InboxStore, "get" | "recordHandled">;
  log: Logger;
}

/** The owner desk of one salon on one channel. */
export class OwnerDesk {
  constructor(private readonly deps: OwnerDeskDeps) {}

  /** The salon's id. */
  get tenantId(): string {
    return this.deps.tenantId;
  }

  /** The current instant (core's clock). */
  now(): Date {
    return this.deps.core.clock.now();
  }

  /** The stored state of an owner flow (`key`: the chat id), or undefined. */
  async loadFlow(key: string): Promise<unknown> {
    const stored = await this.deps.states.load(this.flowKey(key));
    return stored?.state ?? undefined;
  }

  /**
   * Saves an owner flow's state (JSON). Throws `conflict` when another process saved the same
   * chat in between (the update then fails and is retried by Telegram).
   */
  async saveFlow(key: string, state: unknown): Promise<void> {
    const k = this.flowKey(key);
    const stored = await this.deps.states.load(k);
    await this.deps.states.save(k, state, stored?.version ?? 0);
  }

  /** Forgets an owner flow's state. */
  async clearFlow(key: string): Promise<void> {
    await this.deps.states.clear(this.flowKey(key));
  }

  /**
   * True when the owner update with the provider id `externalId` (Telegram's update_id) was
   * handled before, by this process or another: a redelivery is then skipped.
   */
  async wasHandled(externalId: string): Promise<boolean> {
    return (await this.deps.handled.get({ tenantId: this.deps.tenantId, channel: this.ownerChannel, externalId })) !== null;
  }

  /** Records that the owner update `externalId` from `chat` (sent by `userId`) was handled. */
  async markHandled(externalId: string, chat: OwnerChatRef, userId: string): Promise<void> {
    await this.deps.handled.recordHandled({ tenantId: this.deps.tenantId, channel: this.ownerChannel, externalId, chatId: chat.chatId, userId });
  }

  private get ownerChannel(): string {
    return `${this.deps.channel}-owner`;
  }

  private flowKey(chatId: string) {
    return { tenantId: this.deps.tenantId, channel: this.ownerChannel, chatId };
  }

  /** The linked owner or manager of this chat, or null. */
  ownerOf(chatId: string): Promise<LinkedOwner | null> {
    return this.deps.core.owner.ownerOfChat({ tenantId: this.deps.tenantId, channel: this.deps.channel, chatId });
  }

  /** The language to answer this chat in, and its catalogue. */
  async language(chat: OwnerChatRef): Promise<{ language: Language; messages: Messages; tenant: TenantView }> {
    const tenant = await this.deps.core.catalog.getTenant(this.deps.tenantId);
    const language = pickLocale(chat.languageCode, tenant.locale);
    return { language, messages: messagesFor(language), tenant };
  }

  /** `/pair CODE`: links the chat or says why not (nothing linked). `linked` tells the channel to show owner commands. */
  async pair(chat: OwnerChatRef, code: string): Promise<{ prompt: Prompt; linked: boolean }> {
    const { messages, tenant } = await this.language(chat);
    if (code.trim() === "") return { prompt: { text: messages.ownerPairUsage }, linked: false };
    try {
      const link = await this.deps.core.owner.pair({ tenantId: tenant.id, channel: this.deps.channel, chatId: chat.chatId, code, label: chat.name ?? null });
      this.deps.log.info("Linked a chat to a staff account", { tenantId: tenant.id, channel: this.deps.channel, accountId: link.accountId });
      const text = t(messages, "ownerPaired", { salon: tenant.name, name: link.accountName });
      return { prompt: { text, choices: [{ id: OWNER_CHOICES.agenda, label: messages.ownerAgendaButton }] }, linked: true };
    } catch (e) {
      if (isDomainError(e, "rate_limited")) {
        const seconds = Number((e.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60);
        return { prompt: { text: t(messages, "ownerPairRateLimited", { minutes: Math.max(1, Math.ceil(seconds / 60)) }) }, linked: false };
      }
      const reason = isDomainError(e) ? (e.details as Partial<PairingRefusedDetails> | undefined)?.reason : undefined;
      if (reason && Object.hasOwn(REFUSAL, reason)) {
        this.deps.log.info("Refused a pairing code", { tenantId: tenant.id, channel: this.deps.channel, reason });
        return { prompt: { text: messages[REFUSAL[reason]] }, linked: false };
      }
      throw e;
    }
  }

  /** `/unpair`: unlinks the chat. */
  async unpair(chat: OwnerChatRef): Promise<Prompt> {
    const { messages } = await this.language(chat);
    const removed = await this.deps.core.owner.unlinkChat({ tenantId: this.deps.tenantId, channel: this.deps.channel, chatId: chat.chatId });
    return { text: removed ? messages.ownerUnpaired : messages.ownerNotLinked };
  }

  /** `/agenda` and its button: today's bookings in the salon's zone; refused for a chat that is not a linked owner's. */
  async agenda(chat: OwnerChatRef, now: Date): Promise<Prompt> {
    const { language, messages } = await this.language(chat);
    if (!(await this.ownerOf(chat.chatId))) return { text: messages.ownerOnly };
    return renderAgenda(await this.deps.core.owner.agenda({ tenantId: this.deps.tenantId }), language, now);
  }

  /** What a linked owner gets for anything else they write. */
  async menu(chat: OwnerChatRef, owner: LinkedOwner): Promise<Prompt> {
    const { messages } = await this.language(chat);
    return { text: t(messages, "ownerMenu", { name: owner.name }), choices: [{ id: OWNER_CHOICES.agenda, label: messages.ownerAgendaButton }] };
  }

  /** A refusal for owner buttons pressed in a chat that is not (or no longer) a linked owner's. */
  async ownerOnly(chat: OwnerChatRef): Promise<Prompt> {
    return { text: (await this.language(chat)).messages.ownerOnly };
  }

  /**
   * "Record delivery" pressed: the product and the question for the quantity, or a refusal
   * (not an owner's chat; the product is gone) with `product` null.
   */
  async startDelivery(chat: OwnerChatRef, productId: string): Promise<{ product: DeliveryProduct | null; prompt: Prompt }> {
    const { messages } = await this.language(chat);
    if (!(await this.ownerOf(chat.chatId))) return { product: null, prompt: { text: messages.ownerOnly } };
    const product = await this.deps.core.inventory.get({ tenantId: this.deps.tenantId, productId }).catch((e: unknown) => {
      if (isDomainError(e, "not_found")) return null;
      throw e;
    });
    if (!product || !product.active) return { product: null, prompt: { text: messages.ownerProductGone } };
    const found = { id: product.id, name: product.name, unit: product.unit };
    return { product: found, prompt: { text: t(messages, "ownerAskQuantity", { product: found.name, unit: found.unit }), choices: [cancelChoice(messages)] } };
  }

  /** The answer to a quantity that is not a positive whole number. */
  async badQuantity(chat: OwnerChatRef): Promise<Prompt> {
    const { messages } = await this.language(chat);
    return { text: messages.ownerBadQuantity, choices: [cancelChoice(messages)] };
  }

  /** "Record a delivery of 12 pcs of X?" with Record it / Cancel. */
  async confirmDelivery(chat: OwnerChatRef, product: DeliveryProduct, quantity: number): Promise<Prompt> {
    const { messages } = await this.language(chat);
    return {
      text: t(messages, "ownerConfirmDelivery", { quantity, unit: product.unit, product: product.name }),
      choices: [
        { id: OWNER_CHOICES.confirm, label: messages.ownerConfirmYes },
        { id: OWNER_CHOICES.cancel, label: messages.ownerConfirmNo, nav: true },
      ],
    };
  }

  /**
   * Confirmed: records the delivery movement, attributed to the linked account ("staff:<account
   * id>"), and tells the new stock. `requestKey` names the confirming update: an update delivered
   * again (a webhook retry after a crash, another instance) records no second delivery.
   */
  async recordDelivery(chat: OwnerChatRef, product: DeliveryProduct, quantity: number, requestKey: string): Promise<Prompt> {
    const { messages } = await this.language(chat);
    const owner = await this.ownerOf(chat.chatId);
    if (!owner) return { text: messages.ownerOnly };
    try {
      const change = await this.deps.core.inventory.recordDelivery({
        tenantId: this.deps.tenantId,
        productId: product.id,
        quantity,
        reason: "Delivery recorded in Telegram",
        actor: `staff:${owner.accountId}`,
        requestKey,
      });
      return { text: t(messages, "ownerDeliveryRecorded", { quantity, unit: change.product.unit, product: change.product.name, stock: change.product.stockOnHand }) };
    } catch (e) {
      if (isDomainError(e, "not_found")) return { text: messages.ownerProductGone };
      throw e;
    }
  }

  /** The delivery was cancelled. */
  async deliveryCancelled(chat: OwnerChatRef): Promise<Prompt> {
    return { text: (await this.language(chat)).messages.ownerDeliveryCancelled };
  }

  /** The owner commands to show in a linked chat's command menu, in the chat's language. */
  async commands(chat: OwnerChatRef): Promise<{ command: string; description: string }[]> {
    const { messages } = await this.language(chat);
    return [
      { command: "agenda", description: messages.ownerCommandAgenda },
      { command: "unpair", description: messages.ownerCommandUnpair },
    ];
  }
}

const cancelChoice = (messages: Messages) => ({ id: OWNER_CHOICES.cancel, label: messages.ownerConfirmNo, nav: true });
