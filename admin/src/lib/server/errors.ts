import { httpStatusFor, isDomainError, type DomainError } from '@chairside/core';
import { error } from '@sveltejs/kit';

/**
 * Rethrows a domain error as a SvelteKit HTTP error with the status from core's one table
 * (`not_found` → 404, `forbidden` → 403, ...) and its message; rethrows anything else unchanged
 * (SvelteKit logs it and answers 500). Use around core calls in loads: `.catch(throwAsHttpError)`.
 */
export function throwAsHttpError(e: unknown): never {
	if (isDomainError(e)) error(httpStatusFor(e.code), { message: e.message, code: e.code });
	throw e;
}

/**
 * Field errors of an `invalid_input` domain error, by field path ("email", "lines.0.qty"): the
 * first message per field. Empty for other errors.
 */
export function fieldErrors(e: DomainError): Record<string, string> {
	const issues = (e.details as { issues?: { path: string; message: string }[] } | undefined)?.issues ?? [];
	const out: Record<string, string> = {};
	for (const issue of issues) out[issue.path || 'form'] ??= issue.message;
	return out;
}
