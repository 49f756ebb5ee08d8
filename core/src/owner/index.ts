/** The owner's Telegram in core: pairing codes, linked chats, owner alerts, the day agenda, the daily summary. */
export { OwnerService, PAIRING_POLICY } from "./owner.service.js";
export { writeLowStockAlerts, ownerRecipients } from "./alerts.js";
export { openingMinute, type SummaryReport } from "./summary.js";
export { PAIRING_ALPHABET, PAIRING_CODE_LENGTH, normalizePairingCode } from "./pairing.js";
export {
  OWNER_ROLES,
  type OwnerRole,
  type PairingCodeGrant,
  type PairingRefusedDetails,
  type ChatLinkView,
  type LinkedOwner,
  type OwnerSettingsView,
  type LowStockAlertData,
  type DailySummaryData,
  type AgendaEntry,
  type DayAgenda,
} from "./owner.types.js";
