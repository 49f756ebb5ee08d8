/**
 * Domain errors with stable string codes. `core` throws these and nothing else on purpose; the
 * HTTP layer maps a code to a status in exactly one table (`httpStatusFor`), the conversation
 * maps a code to a friendly reply in one place.
 */

/** Every code a domain error may carry. Stable: clients and logs depend on them. */
export type ErrorCode =
  | "invalid_input"
  | "not_found"
  | "slot_taken"
  | "slot_unavailable"
  | "hold_expired"
  | "booking_not_changeable"
  | "cancellation_too_late"
  | "invalid_phone"
  | "conflict"
  | "unauthorized"
  | "forbidden"
  | "config_invalid"
  /** Too many failed attempts (sign-in); details { retryAfterSeconds, limit }. */
  | "rate_limited"
  /** A stock decrease (sale, use in a service, adjustment) would take stock on hand below zero; details { productId, available }. */
  | "insufficient_stock";

/** An error of the domain: `code` says what kind, `details` carries data for the caller (e.g. alternatives). */
export class DomainError<D extends object = Record<string, unknown>> extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: D,
  ) {
    super(message);
  }
}

/** True when `e` is a DomainError, optionally of the given code. */
export function isDomainError(e: unknown, code?: ErrorCode): e is DomainError {
  return e instanceof DomainError && (code === undefined || e.code === code);
}

const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  invalid_phone: 400,
  config_invalid: 500,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  slot_taken: 409,
  slot_unavailable: 409,
  hold_expired: 409,
  booking_not_changeable: 409,
  cancellation_too_late: 409,
  conflict: 409,
  rate_limited: 429,
  insufficient_stock: 409,
};

/** The one table from domain error code to HTTP status. */
export function httpStatusFor(code: ErrorCode): number {
  return HTTP_STATUS[code];
}
