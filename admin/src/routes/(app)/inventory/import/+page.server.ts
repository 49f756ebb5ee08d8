import { isDomainError } from '@chairside/core';
import { fail } from '@sveltejs/kit';
import { holdRows, parseCommitForm, parsePreviewForm } from '$lib/inventory/import-form.server';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	requirePermission(locals, 'inventory');
	return {};
};

export const actions: Actions = {
	/**
	 * Reads the uploaded .xlsx or CSV file with core.inventory.previewImport (writes nothing) and
	 * answers the preview: headers, the suggested and the used column mapping, every row with its
	 * errors, and the valid rows to hold in the page until commit (see $lib/inventory/import-form.server).
	 */
	preview: async ({ request, locals }) => {
		const { tenant, core } = requirePermission(locals, 'inventory');
		const parsed = await parsePreviewForm(await request.formData());
		if (!parsed.ok) return fail(400, { step: 'preview' as const, errors: parsed.errors });
		try {
			const preview = await core.inventory.previewImport({ tenantId: tenant.id, ...parsed.value });
			const valid = preview.rows.flatMap((r) => (r.status === 'valid' ? [{ row: r.row, product: r.product, action: r.action }] : []));
			return {
				step: 'preview' as const,
				fileName: parsed.value.fileName,
				preview: {
					fileType: preview.fileType,
					headers: preview.headers,
					mapping: preview.mapping,
					suggestedMapping: preview.suggestedMapping,
					validCount: preview.validCount,
					invalidCount: preview.invalidCount,
					rows: preview.rows
				},
				held: holdRows(valid)
			};
		} catch (e) {
			if (isDomainError(e, 'invalid_input')) {
				// details.field says whether the file or the mapping was refused.
				const key = (e.details as { field?: string } | undefined)?.field === 'mapping' ? 'mapping' : 'file';
				return fail(400, { step: 'preview' as const, errors: { [key]: e.message } as Record<string, string> });
			}
			throw e;
		}
	},
	/** Imports the held rows the user ticked, in one transaction (core.inventory.commitImport). */
	commit: async ({ request, locals }) => {
		const { account, tenant, core } = requirePermission(locals, 'inventory');
		const parsed = parseCommitForm(await request.formData());
		if (!parsed.ok) return fail(400, { step: 'commit' as const, errors: parsed.errors });
		try {
			const result = await core.inventory.commitImport({ tenantId: tenant.id, rows: parsed.value.map((r) => r.product), actor: `staff:${account.id}` });
			return { step: 'commit' as const, imported: result };
		} catch (e) {
			if (isDomainError(e, 'invalid_input')) {
				// Issues name the row's index in what was sent ("rows.3.priceMinor"): say which file row.
				const issue = ((e.details as { issues?: { path: string; message: string }[] } | undefined)?.issues ?? [])[0];
				const index = issue ? Number(/^rows\.(\d+)/.exec(issue.path)?.[1]) : NaN;
				const row = Number.isInteger(index) ? parsed.value[index]?.row : undefined;
				const message = row !== undefined && issue ? `Row ${row}: ${issue.path.split('.').slice(2).join('.') || 'row'} ${issue.message}` : e.message;
				return fail(400, { step: 'commit' as const, errors: { form: `Nothing was imported. ${message}` } as Record<string, string> });
			}
			throw e;
		}
	}
};
