/**
 * The import page's state (a Svelte 5 rune class): the last preview shown, kept while the user
 * changes the mapping or when a commit fails, and which valid rows are ticked for import.
 */
import type { ColumnMapping, ImportRowResult } from '@chairside/core';

/** What the preview action answers (see routes/(app)/inventory/import/+page.server.ts). */
export interface PreviewResult {
	fileName: string;
	preview: {
		fileType: 'xlsx' | 'csv';
		headers: string[];
		mapping: ColumnMapping;
		suggestedMapping: ColumnMapping;
		validCount: number;
		invalidCount: number;
		rows: ImportRowResult[];
	};
	/** The valid rows as JSON, held in the commit form. */
	held: string;
}

export class ImportSession {
	result: PreviewResult | null = $state(null);
	/** Row numbers of valid rows the user un-ticked. */
	excluded: number[] = $state([]);

	/** Valid rows of the preview, in file order. */
	get validRows(): number[] {
		return (this.result?.preview.rows ?? []).flatMap((r) => (r.status === 'valid' ? [r.row] : []));
	}

	/** How many rows the Import button imports. */
	get includedCount(): number {
		return this.validRows.filter((row) => !this.excluded.includes(row)).length;
	}

	/** Shows a new preview with every valid row ticked. */
	show(result: PreviewResult): void {
		this.result = result;
		this.excluded = [];
	}

	isIncluded(row: number): boolean {
		return !this.excluded.includes(row);
	}

	setIncluded(row: number, on: boolean): void {
		this.excluded = on ? this.excluded.filter((r) => r !== row) : [...this.excluded, row];
	}

	clear(): void {
		this.result = null;
		this.excluded = [];
	}
}
