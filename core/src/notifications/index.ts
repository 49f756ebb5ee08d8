/** Notifications (issue 5): the outbox, the reminder sequence, delivery, statuses, STOP. */
export { NotificationService } from "./notifications.service.js";
export {
  CLIENT_KINDS,
  OUTBOX_STATUSES,
  NOTIFICATION_CHANNELS,
  CATEGORY_OF,
  OPT_OUT_KINDS,
  DeliveryError,
  type ClientKind,
  type NotificationKind,
  type NotificationCategory,
  type NotificationStatus,
  type BookingAction as NotificationAction,
  type BookingMessageData,
  type ClientMessageData,
  type OutboxMessageView,
  type OutboxListRow,
  type OutboxPage,
  type OutboxPageQuery,
  type NotificationChannel,
  type NewOutboxMessage,
  type OutboundMessage,
  type SendResult,
  type Sender,
  type SenderDirectory,
  type DeliveryStatusInput,
} from "./notification.types.js";
export {
  notificationSettingsSchema,
  DEFAULT_NOTIFICATION_SETTINGS,
  readSettings as readNotificationSettings,
  type NotificationSettings,
  type NotificationSettingsPatch,
} from "./settings.js";
export {
  planReminders,
  inQuietHours,
  quietHoursEnd,
  outsideQuietHours,
  minutesBefore,
  noticeTime,
  thankYouTime,
  marketingTime,
  reminderKey,
  type QuietHours,
  type PlannedMessage,
} from "./plan.js";
export { chooseChannel, type ChannelChoice, type ReachableIdentity } from "./channel-choice.js";
export { isStopCommand, STOP_WORDS } from "./stop-words.js";
export { OUTBOX_NOTIFY_CHANNEL } from "./outbox.repository.js";
export { DEFAULT_DELIVERY_OPTIONS, backoffMs, type DeliveryOptions, type DeliveryReport } from "./delivery.js";
export { REACTIVATION_WINDOW_DAYS, type PeriodicReport } from "./periodic.js";
export {
  TEMPLATE_PARAMETERS,
  TEMPLATE_CHANNELS,
  TEMPLATE_QUICK_REPLIES,
  MAX_TEMPLATE_PARAMETERS,
  messageTemplateInputSchema,
  type TemplateParameter,
  type TemplateChannel,
  type MessageTemplateView,
  type MessageTemplateInput,
} from "./templates.js";
export { channelLabel, describeStatusFailure } from "./fallback.js";
