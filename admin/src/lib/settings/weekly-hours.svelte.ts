/**
 * The weekly hours editor's state: a Svelte 5 rune class. Holds what is typed per weekday (working
 * ranges and breaks as "HH:MM"), starting with one blank row at the end of each list so the form
 * also works without JavaScript (blank rows are ignored by the server); once it is filled, "Add"
 * appends another, "Remove" drops one, "Copy to weekdays" repeats Monday's hours. Field names
 * come from hours.ts.
 */
import { MAX_ROWS, type DayDraft, type RangeDraft, type RangeKind } from './hours';

const blank = (): RangeDraft => ({ start: '', end: '' });

function withBlank(rows: RangeDraft[]): RangeDraft[] {
	const kept = rows.filter((r, i) => i < rows.length - 1 || r.start.trim() !== '' || r.end.trim() !== '');
	const last = kept[kept.length - 1];
	return kept.length < MAX_ROWS && (!last || last.start.trim() !== '' || last.end.trim() !== '') ? [...kept, blank()] : kept;
}

export class WeeklyHoursEditor {
	days: DayDraft[] = $state([]);

	constructor(drafts: DayDraft[]) {
		this.days = drafts.map((d) => ({ weekday: d.weekday, work: withBlank(d.work.map((r) => ({ ...r }))), breaks: withBlank(d.breaks.map((r) => ({ ...r }))) }));
	}

	/** The rows of one list. */
	rows(weekday: number, kind: RangeKind): RangeDraft[] {
		const day = this.days.find((d) => d.weekday === weekday);
		if (!day) return [];
		return kind === 'work' ? day.work : day.breaks;
	}

	/** True when the weekday has at least one filled working range. */
	isWorking(weekday: number): boolean {
		return this.rows(weekday, 'work').some((r) => r.start.trim() !== '' && r.end.trim() !== '');
	}

	/** True when another row may be added: below the limit and no blank row waiting at the end. */
	canAdd(weekday: number, kind: RangeKind): boolean {
		const rows = this.rows(weekday, kind);
		const last = rows[rows.length - 1];
		return rows.length < MAX_ROWS && (!last || last.start.trim() !== '' || last.end.trim() !== '');
	}

	/** Appends a blank row. */
	add(weekday: number, kind: RangeKind): void {
		if (this.canAdd(weekday, kind)) this.rows(weekday, kind).push(blank());
	}

	/** Removes a row (the list keeps at least one, blank). */
	remove(weekday: number, kind: RangeKind, index: number): void {
		const rows = this.rows(weekday, kind);
		rows.splice(index, 1);
		if (rows.length === 0) rows.push(blank());
	}

	/** Makes the day off: every row blank. */
	clear(weekday: number): void {
		const day = this.days.find((d) => d.weekday === weekday);
		if (!day) return;
		day.work = [blank()];
		day.breaks = [blank()];
	}

	/** Copies one day's ranges and breaks to Monday–Friday. */
	copyToWeekdays(from: number): void {
		const source = this.days.find((d) => d.weekday === from);
		if (!source) return;
		for (const day of this.days) {
			if (day.weekday === from || day.weekday > 5) continue;
			day.work = source.work.map((r) => ({ ...r }));
			day.breaks = source.breaks.map((r) => ({ ...r }));
		}
	}
}
