import { z } from "zod";
import { DomainError } from "./errors.js";

/** A UUID as the database stores ids. */
export const uuidSchema = z.uuid();

/**
 * Parses `input` with `schema` or throws DomainError `invalid_input` whose details list each
 * failing field (`{ issues: [{ path, message }] }`). Use at every entry point of a service.
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  throw new DomainError("invalid_input", `Invalid ${what}: ${issues.map((i) => `${i.path || "(root)"} ${i.message}`).join("; ")}`, {
    issues,
  });
}
