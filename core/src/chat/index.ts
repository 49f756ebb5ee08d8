/** Chat plumbing shared by every channel: conversation state and the inbound de-duplication ledger. */
import type { PrismaClient } from "@prisma/client";
import { ChatStateStore } from "./chat-state.store.js";
import { InboundLedger } from "./inbound-ledger.js";

export { ChatStateStore, type ChatKey, type StoredChatState } from "./chat-state.store.js";
export { InboundLedger, type InboundRef } from "./inbound-ledger.js";

/** The chat stores on one database. */
export interface ChatStores {
  states: ChatStateStore;
  ledger: InboundLedger;
}

/** Creates the chat stores on `prisma`. */
export function createChatStores(prisma: PrismaClient): ChatStores {
  return { states: new ChatStateStore(prisma), ledger: new InboundLedger(prisma) };
}
