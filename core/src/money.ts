/** Money is an integer number of minor units plus an ISO 4217 currency code. */
export interface Money {
  /** Minor units (cents, øre, tetri), an integer. */
  amountMinor: number;
  /** ISO 4217 code, e.g. "EUR". */
  currency: string;
}

/** Formats money for people in `locale`, e.g. formatMoney({amountMinor: 45000, currency: "DKK"}, "da-DK") → "450,00 kr.". */
export function formatMoney(money: Money, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: "currency", currency: money.currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(money.amountMinor / 10 ** digits);
}
