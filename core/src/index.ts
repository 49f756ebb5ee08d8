/**
 * @chairside/core: the domain. Availability and slots, bookings, clients. No HTTP, no messenger SDKs.
 * Grouped by audience: wiring, errors and values, then one section per domain module.
 */

// Wiring
export { createCore, type Core } from "./core.js";
export { type Clock, systemClock, FixedClock } from "./clock.js";
export { createPrismaClient, type Db, disconnectWithin, Prisma, PrismaClient, isOverlapError, sqlStateOf } from "./db/client.js";
export { migrate, type MigrateResult, DEFAULT_MIGRATIONS_DIR } from "./db/migrate.js";
export { startEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedPostgresOptions, type EmbeddedLog } from "./db/embedded.js";

// Errors and values
export { DomainError, isDomainError, httpStatusFor, type ErrorCode } from "./errors.js";
export { type Money, formatMoney } from "./money.js";
export { parseInput, uuidSchema } from "./validation.js";

// Catalog: salons, services, staff
export { CatalogService, toTenantView } from "./catalog/catalog.service.js";
export type { TenantView, ServiceView, StaffView } from "./catalog/catalog.types.js";
export {
  CatalogAdminService,
  salonSettingsSchema,
  createSalonSchema,
  salonSlugSchema,
  NEW_SALON_RULES,
  serviceInputSchema,
  weeklyScheduleSchema,
  type SalonSettings,
  type CreateSalonInput,
  type ServiceInput,
  type WeeklySchedule,
  type StaffDetails,
} from "./catalog/catalog-admin.service.js";

// Availability
export { AvailabilityService, type AvailableSlot, type BookingPolicy, type DayAvailability, type SlotRequest } from "./availability/availability.service.js";
export { computeSlots, type SlotQuery, type Slot, type StaffSchedule } from "./availability/slots.js";

// Bookings
export { BookingService, toBookingView } from "./booking/booking.service.js";
export type { BookingView, BookingStatus, SlotTakenDetails, BookingChange, BookingChangeHook } from "./booking/booking.types.js";
export { pickFairly, type StaffLoad } from "./booking/fairness.js";

// Clients
export { ClientService, type ClientView, type IdentityRef } from "./clients/client.service.js";
export { parsePhone, phoneExample } from "./clients/phone.js";

// Chat plumbing for channels: conversation state, the persist-first inbox, per-chat leases (issue 4)
export {
  ChatStateStore,
  InboxStore,
  ChatLeaseStore,
  WorkerLiveness,
  createChatStores,
  type ChatStores,
  type ChatKey,
  type StoredChatState,
  type InboxDelivery,
  type InboxMessageInput,
  type InboxRef,
  type InboxRow,
  type StatusReportInput,
  type StatusReportsHook,
  type SubscriptionInput,
  WebchatStore,
  widgetActivityId,
  WIDGET_CONVERSATION_ID,
  WEBCHAT_MAX_PAGE,
  type WebchatConversationView,
  type WebchatTranscriptPage,
} from "./chat/index.js";

// Channel credentials per salon: the encrypted store, the installation's key, and the messengers'
// credential schemas (the plugins and the admin's Settings → Channels share them).
export * from "./channels/index.js";

// Demo data
export { seedDemoSalon } from "./demo/seed.js";

// Auth: staff admin accounts, one-time sign-in links, sessions, rate limits, roles and permissions
export {
  AuthService,
  AUTH_POLICY,
  toAccountView,
  can,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  passwordSchema,
  PASSWORD_MIN_LENGTH,
  prepareOwnerAccess,
  defaultOwnerEmail,
  type AccountView,
  type AuthContext,
  type RateLimitedDetails,
  type SessionGrant,
  type SignInLinkGrant,
  type Permission,
  type StaffRole,
  type OwnerAccess,
} from "./auth/index.js";

// Inventory: products, stock movements, low stock, spreadsheet import and export (issue 3)
export { InventoryService, type ImportPreview, type ImportResult, type StockDifference } from "./inventory/inventory.service.js";
export type { ProductView, StockMovementView, LowStockEventView, StockChange } from "./inventory/product.schemas.js";
export { applyStockMovement, lockProductStock, type InsufficientStockDetails, type MovementInput, type AppliedMovement } from "./inventory/stock.js";
export {
  IMPORT_FIELDS,
  suggestMapping,
  parseMoneyInput,
  minorDigits,
  readSpreadsheet,
  type ImportField,
  type ColumnMapping,
  type ImportProduct,
  type ImportRowResult,
  type ImportRowError,
  type Sheet,
} from "./inventory/import.js";
export { writeProductsFile, EXPORT_HEADERS, type ProductFileFormat } from "./inventory/export.js";

// Point of sale: checkout, refunds, receipts (issue 3)
export { PosService } from "./pos/pos.service.js";
export type { CheckoutInput, RefundInput, SaleView, SaleLineView, PaymentView, CheckoutDraft, RefundResult, Receipt } from "./pos/pos.schemas.js";

// Reports: daily close (issue 3)
export { ReportsService, summarizeDay, type DailyClose, type MethodTotals } from "./reports/daily-close.js";

// Clients for staff (CRM): search, profile, edit, merge (issue 3)
export { CrmService, toCrmClient, type CrmClient, type ClientSummary, type ClientProfile } from "./clients/crm.service.js";

// Live booking change notices for the staff calendar (issue 3)
export { BookingFeed, type BookingFeedNotice, type BookingFeedOptions, type BookingsVersion } from "./booking/booking-feed.js";

// The zod schema of one import row as `InventoryService.commitImport` takes it (the admin re-checks rows it held between preview and commit).
export { importProductSchema } from "./inventory/import.js";

// Notifications: the outbox, the reminder sequence, delivery through a Sender port per channel, STOP (issue 5)
export * from "./notifications/index.js";

// The owner's Telegram: one-time pairing codes, linked chats, low-stock alerts, the day agenda, the daily summary (issue 5)
export {
  OwnerService,
  PAIRING_POLICY,
  OWNER_ROLES,
  PAIRING_ALPHABET,
  PAIRING_CODE_LENGTH,
  normalizePairingCode,
  openingMinute,
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
  type SummaryReport,
} from "./owner/index.js";
export { TimeoutError, withTimeout } from "./timeout.js";
