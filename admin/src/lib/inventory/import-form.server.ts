/**
 * Reading the two import forms (server side; pure apart from core's row schema).
 *
 * Between preview and commit nothing is stored on the server and nothing is written to the
 * database: the preview page carries the valid rows it showed as JSON in a hidden `rows` field
 * (each `{ row, product }`, `product` in the shape `commitImport` takes), plus one `include`
 * checkbox per row. On commit that JSON is parsed again with zod (core's `importProductSchema`,
 * at most 5000 rows), so a tampered field can import nothing a person with the same rights could
 * not import from a file anyway, and core validates once more inside `commitImport`.
 * Changing the column mapping needs the file again: the upload form keeps the chosen file
 * (enhanced form, not reset) and re-previews with `map.<field>` selects.
 */
import { importProductSchema, type ColumnMapping, type ImportProduct } from '@chairside/core';
import { z } from 'zod';
import { IMPORT_FIELD_ORDER } from './import-fields';

/** Largest upload accepted here (core refuses above 10 MB too). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** What the preview action needs: the file, and the mapping chosen (undefined: let core suggest). */
export type PreviewFormValue = { file: Buffer; fileName: string; mapping: ColumnMapping | undefined };

/** Reads the upload form: `file` (.xlsx or .csv) and, when `remap` is set, `map.<field>` column indexes ("" = not imported). */
export async function parsePreviewForm(form: FormData): Promise<{ ok: true; value: PreviewFormValue } | { ok: false; errors: Record<string, string> }> {
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0 || file.name === '') return { ok: false, errors: { file: 'Choose an .xlsx or .csv file' } };
	if (file.size > MAX_UPLOAD_BYTES) return { ok: false, errors: { file: 'The file is larger than 10 MB' } };
	let mapping: ColumnMapping | undefined;
	if (form.get('remap') !== null) {
		mapping = {};
		for (const field of IMPORT_FIELD_ORDER) {
			const raw = form.get(`map.${field}`);
			if (raw === null || raw === '') continue;
			const column = z.coerce.number().int().min(0).max(1000).safeParse(raw);
			if (!column.success) return { ok: false, errors: { mapping: 'Choose a column from the list' } };
			mapping[field] = column.data;
		}
	}
	return { ok: true, value: { file: Buffer.from(await file.arrayBuffer()), fileName: file.name.slice(0, 255), mapping } };
}

/** One row held between preview and commit: its row number in the file and the product to import. */
export const heldRowSchema = z.object({ row: z.number().int().min(1), product: importProductSchema });
const heldRowsSchema = z.array(heldRowSchema).min(1).max(5000);

/** The hidden `rows` field's value for the valid rows of a preview. */
export function holdRows(rows: { row: number; product: ImportProduct }[]): string {
	return JSON.stringify(rows.map(({ row, product }) => ({ row, product })));
}

/**
 * Reads the commit form: the held `rows` (JSON, checked with zod) and the `include` checkboxes
 * (row numbers). Returns the products of the included rows in file order, with their row numbers.
 */
export function parseCommitForm(
	form: FormData
): { ok: true; value: { row: number; product: ImportProduct }[] } | { ok: false; errors: Record<string, string> } {
	const raw = form.get('rows');
	let json: unknown;
	try {
		json = JSON.parse(typeof raw === 'string' ? raw : '');
	} catch {
		return { ok: false, errors: { form: 'The preview is missing: upload the file again' } };
	}
	const held = heldRowsSchema.safeParse(json);
	if (!held.success) return { ok: false, errors: { form: 'The preview could not be read: upload the file again' } };
	const include = new Set(form.getAll('include').map((v) => Number(v)));
	const chosen = held.data.filter((r) => include.has(r.row)).map((r) => ({ row: r.row, product: r.product as ImportProduct }));
	if (chosen.length === 0) return { ok: false, errors: { form: 'Tick at least one row to import' } };
	return { ok: true, value: chosen };
}
