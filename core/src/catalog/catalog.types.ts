/** A salon as the rest of the system sees it. Times shown to its clients are in `timeZone`. */
export interface TenantView {
  id: string;
  /** URL name, e.g. "demo" in /book/demo and /webhooks/telegram/demo. */
  slug: string;
  name: string;
  /** IANA time zone, e.g. "Europe/Copenhagen". */
  timeZone: string;
  /** ISO 4217 code. */
  currency: string;
  /** BCP 47 locale, e.g. "en" or "da-DK". */
  locale: string;
  /** ISO 3166-1 alpha-2 region for phones typed without a country code. */
  country: string;
  /** Slot grid in minutes on the local wall clock. */
  slotStepMinutes: number;
  /** A slot must start at least this many minutes after now. */
  minimumNoticeMinutes: number;
  /** Clients may book up to this many local days ahead (today counts as day 0). */
  maximumDaysAhead: number;
  /** How long a hold keeps a slot while the client confirms, minutes. */
  holdMinutes: number;
  /** Clients cannot cancel or reschedule themselves later than this many minutes before the start. */
  cancellationCutoffMinutes: number;
}

/** A bookable service. Price in minor units of `currency`. */
export interface ServiceView {
  id: string;
  name: string;
  category: string | null;
  durationMinutes: number;
  priceMinor: number;
  currency: string;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

/** A staff member as clients see them. */
export interface StaffView {
  id: string;
  name: string;
}
