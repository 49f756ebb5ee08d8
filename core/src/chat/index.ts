/**
 * Chat plumbing shared by every channel: conversation state, the persist-first inbox of inbound
 * events (de-duplicated by provider id) and the per-chat leases of the inbox workers.
 */
import type { PrismaClient } from "@prisma/client";
import { ChatLeaseStore } from "./chat-lease.store.js";
import { ChatStateStore } from "./chat-state.store.js";
import { InboxStore } from "./inbox.store.js";

export { ChatStateStore, type ChatKey, type StoredChatState } from "./chat-state.store.js";
export {
  InboxStore,
  type InboxDelivery,
  type InboxMessageInput,
  type InboxRef,
  type InboxRow,
  type StatusReportInput,
  type SubscriptionInput,
} from "./inbox.store.js";
export { ChatLeaseStore } from "./chat-lease.store.js";
export { WorkerLiveness, LIVENESS_LOCK_NAMESPACE } from "./worker-liveness.js";

/** The chat stores on one database. */
export interface ChatStores {
  states: ChatStateStore;
  inbox: InboxStore;
  leases: ChatLeaseStore;
}

/** Creates the chat stores on `prisma`. */
export function createChatStores(prisma: PrismaClient): ChatStores {
  return { states: new ChatStateStore(prisma), inbox: new InboxStore(prisma), leases: new ChatLeaseStore(prisma) };
}
