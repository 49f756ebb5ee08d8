/**
 * A salon's reminder sequence settings: which messages go, their offsets, quiet hours, the local
 * time of birthday and re-activation messages, the review link, no-show detection and the salon's
 * own texts. Stored as JSON in NotificationSettings; every missing field takes its default, so a
 * salon without a row gets the whole default sequence.
 */
import { z } from "zod";
import { CLIENT_KINDS, type ClientKind } from "./notification.types.js";

/** Minutes after local midnight, 0..1439. */
const minuteOfDay = z.number().int().min(0).max(1439);

const enabledShape = Object.fromEntries(CLIENT_KINDS.map((k) => [k, z.boolean().default(true)])) as Record<
  ClientKind,
  z.ZodDefault<z.ZodBoolean>
>;

/**
 * The settings schema. All durations are minutes unless the name says days; wall-clock values are
 * minutes after local midnight in the salon's zone.
 */
export const notificationSettingsSchema = z.object({
  /** On/off per client message kind (all on by default). */
  enabled: z.object(enabledShape).prefault({}),
  /**
   * How long before the appointment each reminder goes. Whole days are calendar days in the
   * salon's zone (1440 = the same wall-clock time the day before, also across a DST change); the
   * rest is exact minutes.
   */
  reminderOffsets: z
    .object({
      reminder_24h: z.number().int().min(15).max(7 * 1440).default(1440),
      reminder_1h: z.number().int().min(5).max(720).default(60),
    })
    .prefault({}),
  /** The thank-you goes this long after the visit is checked out. */
  thankYouDelayMinutes: z.number().int().min(0).max(2 * 1440).default(60),
  /** Re-activation: this many days after the last visit, when nothing is booked. */
  reactivationDays: z.number().int().min(7).max(365).default(30),
  /**
   * Nothing is sent from `startMinute` to `endMinute` local (wrapping midnight when start > end;
   * equal = no quiet hours), unless the appointment itself comes before they end.
   */
  quietHours: z.object({ startMinute: minuteOfDay.default(21 * 60), endMinute: minuteOfDay.default(9 * 60) }).prefault({}),
  /** Local time for birthday greetings and re-activation nudges (default 10:00). */
  marketingMinute: minuteOfDay.default(10 * 60),
  /** The salon's review page, added to the thank-you; null for none. */
  reviewUrl: z.url({ protocol: /^https?$/ }).max(500).nullable().default(null),
  /** Mark a confirmed booking no-show this long after its start unless staff marked the client arrived. */
  noShow: z.object({ enabled: z.boolean().default(true), graceMinutes: z.number().int().min(0).max(240).default(15) }).prefault({}),
  /**
   * The salon's own texts by language ("en", "da") and kind, replacing the catalogue's. Placeholders:
   * {name} {salon} {service} {staff} {date} {time} {reviewUrl}.
   */
  texts: z
    .record(z.string().regex(/^[a-z]{2,3}$/), z.partialRecord(z.enum(CLIENT_KINDS), z.string().trim().min(1).max(1000)))
    .default({}),
});

/** A salon's resolved settings (every field present). */
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

/** What an owner may send to change settings: any subset; nested objects are merged. */
export type NotificationSettingsPatch = z.input<typeof notificationSettingsSchema>;

/** The defaults: the whole sequence on, 24 h and 1 h reminders, quiet 21:00–09:00, greetings at 10:00. */
export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = notificationSettingsSchema.parse({});

/**
 * Reads stored settings. Anything unreadable (an old shape, a hand edit) falls back field by
 * field to the defaults instead of stopping the salon's reminders.
 */
export function readSettings(stored: unknown): NotificationSettings {
  const parsed = notificationSettingsSchema.safeParse(stored ?? {});
  if (parsed.success) return parsed.data;
  const object = stored && typeof stored === "object" ? (stored as Record<string, unknown>) : {};
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    const shape = notificationSettingsSchema.shape as Record<string, z.ZodType>;
    if (shape[key]?.safeParse(value).success) kept[key] = value;
  }
  return notificationSettingsSchema.parse(kept);
}

/** `patch` over `current`, one level deep for the nested objects (texts: per language). */
export function mergeSettings(current: NotificationSettings, patch: NotificationSettingsPatch): unknown {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    const before = (current as Record<string, unknown>)[key];
    merged[key] =
      value && typeof value === "object" && !Array.isArray(value) && before && typeof before === "object"
        ? { ...(before as object), ...(value as object) }
        : value;
  }
  return merged;
}
