import { formatMoney } from "@chairside/core";
import { DateTime } from "luxon";
import type { Messages } from "../i18n/index.js";

/**
 * Dates, times and prices as the client reads them: in the salon's time zone, in the client's
 * language. Built per event with the current instant (no clock inside).
 */
export class Formatter {
  constructor(
    /** IANA zone of the salon. */
    private readonly zone: string,
    /** BCP 47 tag for month and day names and money. */
    private readonly locale: string,
    private readonly messages: Messages,
    private readonly now: Date,
  ) {}

  private local(instant: Date): DateTime {
    return DateTime.fromJSDate(instant, { zone: this.zone }).setLocale(this.locale);
  }

  /** The salon-local date of an instant, "YYYY-MM-DD". */
  localDate(instant: Date): string {
    return this.local(instant).toISODate() ?? "";
  }

  /** A short day label for a local date: "Today", "Tomorrow", else "Mon 23 Nov" (the language's `dateShort`). */
  day(date: string): string {
    const today = this.local(this.now).startOf("day");
    const day = DateTime.fromISO(date, { zone: this.zone }).setLocale(this.locale);
    const diff = Math.round(day.diff(today, "days").days);
    if (diff === 0) return this.messages.today;
    if (diff === 1) return this.messages.tomorrow;
    return day.toFormat(this.messages.dateShort);
  }

  /** A long date for a local date: "Monday 23 November" (`dateLong`; `dateLongWithYear` when it is not this year's). */
  longDate(date: string): string {
    const day = DateTime.fromISO(date, { zone: this.zone }).setLocale(this.locale);
    return day.toFormat(day.year === this.local(this.now).year ? this.messages.dateLong : this.messages.dateLongWithYear);
  }

  /** The long local date of an instant. */
  longDateOf(instant: Date): string {
    return this.longDate(this.localDate(instant));
  }

  /** The local wall-clock time of an instant, 24-hour: "09:15". */
  time(instant: Date): string {
    return this.local(instant).toFormat("HH:mm");
  }

  /** Money in minor units: "DKK 450.00", "450,00 kr.". */
  price(amountMinor: number, currency: string): string {
    return formatMoney({ amountMinor, currency }, this.locale);
  }
}
