import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** Numbers written without a country code are Vietnamese unless told otherwise. */
export const DEFAULT_PHONE_COUNTRY: CountryCode = 'VN';

/**
 * A phone number in E.164 (`+84900000001`), or null when it is not a valid number.
 * `0900 000 001`, `+84 900000001` and `84900000001` are one number, so one account.
 */
export function normalizePhone(input: string, country: CountryCode = DEFAULT_PHONE_COUNTRY): string | null {
  const p = parsePhoneNumberFromString(input.trim(), country);
  return p && p.isValid() ? p.number : null;
}
