import { type CountryCode, getExampleNumber, isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js/max";
import examples from "libphonenumber-js/mobile/examples";
import { DomainError } from "../errors.js";

/**
 * Normalises a phone number to E.164 ("+4512345678"). Numbers without a country code are read
 * in `defaultCountry` (ISO 3166-1 alpha-2, the salon's). Throws DomainError `invalid_phone` with
 * `details.example` (an example mobile number of that country, international format) when the
 * input is not a valid number. Rules: libphonenumber-js (Google's libphonenumber metadata).
 */
export function parsePhone(input: string, defaultCountry: string): string {
  const region = isSupportedCountry(defaultCountry) ? (defaultCountry as CountryCode) : undefined;
  const cleaned = input.trim().replace(/^00/, "+");
  const parsed = cleaned.length <= 40 ? parsePhoneNumberFromString(cleaned, region) : undefined;
  if (!parsed || !parsed.isValid()) {
    const example = phoneExample(defaultCountry);
    throw new DomainError("invalid_phone", `"${input.slice(0, 40)}" is not a valid phone number; example: ${example}`, {
      example,
    });
  }
  return parsed.number;
}

/** An example mobile number for the country in international format, e.g. "+45 32 12 34 56". */
export function phoneExample(country: string): string {
  const region = isSupportedCountry(country) ? (country as CountryCode) : ("GB" as CountryCode);
  return getExampleNumber(region, examples)?.formatInternational() ?? "+44 7400 123456";
}
