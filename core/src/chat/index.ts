/**
 * Chat plumbing shared by every channel: conversation state, the persist-first inbox of inbound
 * events (de-duplicated by provider id) and the per-chat leases of the inbox workers.
 */
import type { PrismaClient } from "@prisma/client";
import { ChatLeaseStore } from "./chat-lease.store.js";
import { ChatStateStore } from "./chat-state.store.js";
import { InboxStore, type StatusReportsHook } from "./inbox.store.js";

export { ChatStateStore, type ChatKey, type StoredChatState } from "./chat-state.store.js";
export {
  InboxStore,
  type InboxDelivery,
  type InboxMessageInput,
  type InboxRef,
  type InboxRow,
  type StatusReportInput,
  type StatusReportsHook,
  type SubscriptionInput,
} from "./inbox.store.js";
export { ChatLeaseStore } from "./chat-lease.store.js";
export { WorkerLiveness, LIVENESS_LOCK_NAMESPACE } from "./worker-liveness.js";
export { WebchatStore, widgetActivityId, WIDGET_CONVERSATION_ID, MAX_PAGE as WEBCHAT_MAX_PAGE, type WebchatConversationView, type WebchatTranscriptPage } from "./webchat.store.js";

/** The chat stores on one database. */
export interface ChatStores {
  states: ChatStateStore;
  inbox: InboxStore;
  leases: ChatLeaseStore;
}

/**
 * Creates the chat stores on `prisma`. `onStatuses` (NotificationService.onStatusReports) applies
 * webhook status reports to the outbox in the inbox's transaction; without it they are only stored.
 */
export function createChatStores(prisma: PrismaClient, options: { onStatuses?: StatusReportsHook } = {}): ChatStores {
  return { states: new ChatStateStore(prisma), inbox: new InboxStore(prisma, options.onStatuses), leases: new ChatLeaseStore(prisma) };
}
