/**
 * Owner alerts written inside the transaction of the change that caused them (an outbox row per
 * linked owner/manager chat, idempotent per cause and recipient), so an alert exists exactly when
 * its cause committed.
 */
import type { LowStockEvent, Prisma, Product } from "@prisma/client";
import type { NewOutboxMessage } from "../notifications/notification.types.js";
import { writeMessages } from "../notifications/outbox.repository.js";
import { OWNER_ROLES, type LowStockAlertData } from "./owner.types.js";

/** The linked chats of a salon's active owners and managers, oldest link first. */
export async function ownerRecipients(db: Prisma.TransactionClient, tenantId: string): Promise<{ linkId: string; channel: string; chatId: string }[]> {
  const links = await db.staffChatLink.findMany({
    where: { tenantId, account: { role: { in: [...OWNER_ROLES] }, disabledAt: null } },
    orderBy: { linkedAt: "asc" },
    select: { id: true, channel: true, chatId: true },
  });
  return links.map((l) => ({ linkId: l.id, channel: l.channel, chatId: l.chatId }));
}

/**
 * Writes a low-stock alert (kind owner_alert, category owner) for each linked owner/manager chat
 * of the product's salon, with `tx` (the stock change's transaction). Key
 * `low_stock:<event id>:<link id>`: written once per event and recipient. Returns rows written.
 */
export async function writeLowStockAlerts(tx: Prisma.TransactionClient, event: LowStockEvent, product: Product, now: Date): Promise<number> {
  const recipients = await ownerRecipients(tx, event.tenantId);
  if (recipients.length === 0) return 0;
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: event.tenantId }, select: { name: true, locale: true } });
  const data: LowStockAlertData = {
    alert: "low_stock",
    salonName: tenant.name,
    salonLocale: tenant.locale,
    productId: product.id,
    productName: product.name,
    unit: product.unit,
    stockOnHand: event.stockOnHand,
    threshold: event.threshold,
    eventId: event.id,
  };
  const messages: NewOutboxMessage[] = recipients.map((r) => ({
    tenantId: event.tenantId,
    kind: "owner_alert",
    category: "owner",
    channel: r.channel,
    recipient: r.chatId,
    data: { ...data },
    idempotencyKey: `low_stock:${event.id}:${r.linkId}`,
  }));
  return writeMessages(tx, messages, now);
}
