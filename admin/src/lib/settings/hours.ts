/**
 * Working hours as the staff settings form edits them: per ISO weekday, working ranges and breaks
 * typed as "HH:MM". Field names: `work-<weekday>-<row>-start|end`, `break-<weekday>-<row>-start|end`.
 * Browser-safe (the page's editor builds the same names), no zod needed: each cell is a time.
 */
import { formatMinutes, ISO_WEEKDAYS, parseTimeOfDay } from './time';

/** A range as typed: two "HH:MM" strings ("" when left blank). */
export interface RangeDraft {
	start: string;
	end: string;
}

/** One weekday's working ranges and breaks as typed. */
export interface DayDraft {
	weekday: number;
	work: RangeDraft[];
	breaks: RangeDraft[];
}

/** A range in minutes after local midnight (core's shape). */
export interface MinuteRange {
	startMinute: number;
	endMinute: number;
}

/** Which list a row belongs to in the field names. */
export type RangeKind = 'work' | 'break';

/** The form field name of one cell, e.g. fieldName('work', 1, 0, 'start') → "work-1-0-start". */
export function fieldName(kind: RangeKind, weekday: number, row: number, edge: 'start' | 'end'): string {
	return `${kind}-${weekday}-${row}-${edge}`;
}

/** Field names of one date-override range row, e.g. overrideRangeName(0, 'start') → "range-0-start". */
export function overrideRangeName(row: number, edge: 'start' | 'end'): string {
	return `range-${row}-${edge}`;
}

/** Rows of hours the date-override form offers. */
export const OVERRIDE_ROWS = 3;

/** Most rows per weekday and kind the form reads (more are ignored). */
export const MAX_ROWS = 8;

/** Minute ranges → drafts, for the seven weekdays in order (a day without hours has no rows). */
export function draftsFromWeekly(weekly: { weekday: number; work: MinuteRange[]; breaks: MinuteRange[] }[]): DayDraft[] {
	const toDraft = (r: MinuteRange): RangeDraft => ({ start: formatMinutes(r.startMinute), end: formatMinutes(r.endMinute) });
	return ISO_WEEKDAYS.map((weekday) => {
		const day = weekly.find((d) => d.weekday === weekday);
		return { weekday, work: (day?.work ?? []).map(toDraft), breaks: (day?.breaks ?? []).map(toDraft) };
	});
}

/** Minute ranges from "HH:MM" pairs; both blank means no range. */
export function readRanges(
	rows: RangeDraft[],
	names: (row: number) => { start: string; end: string }
): { ranges: MinuteRange[]; errors: Record<string, string> } {
	const ranges: MinuteRange[] = [];
	const errors: Record<string, string> = {};
	rows.forEach((row, i) => {
		const name = names(i);
		const start = row.start.trim();
		const end = row.end.trim();
		if (start === '' && end === '') return;
		const s = start === '' ? null : parseTimeOfDay(start);
		const e = end === '' ? null : parseTimeOfDay(end);
		if (start === '') errors[name.start] = 'Enter a start time';
		else if (s === null || s >= 1440) errors[name.start] = 'Use HH:MM, e.g. 09:00';
		if (end === '') errors[name.end] = 'Enter an end time';
		else if (e === null) errors[name.end] = 'Use HH:MM, e.g. 17:00';
		if (s !== null && e !== null && !errors[name.start] && !errors[name.end]) {
			if (e <= s) errors[name.end] = 'Must end after it starts';
			else ranges.push({ startMinute: s, endMinute: e });
		}
	});
	return { ranges, errors };
}

/** The drafts a submitted form holds, by weekday (blank trailing rows kept, so a failed form shows what was typed). */
export function draftsFromForm(form: FormData): DayDraft[] {
	const value = (name: string) => {
		const v = form.get(name);
		return typeof v === 'string' ? v.slice(0, 10) : '';
	};
	const rows = (kind: RangeKind, weekday: number): RangeDraft[] => {
		const out: RangeDraft[] = [];
		for (let row = 0; row < MAX_ROWS; row++) {
			const start = fieldName(kind, weekday, row, 'start');
			const end = fieldName(kind, weekday, row, 'end');
			if (!form.has(start) && !form.has(end)) continue;
			out.push({ start: value(start), end: value(end) });
		}
		return out;
	};
	return ISO_WEEKDAYS.map((weekday) => ({ weekday, work: rows('work', weekday), breaks: rows('break', weekday) }));
}

/**
 * The weekly schedule (core's WeeklySchedule shape) from the hours form, or field errors by field
 * name. A weekday without working ranges is a day off; breaks on such a day are an error. Core
 * checks overlaps and that breaks lie inside working hours.
 */
export function readWeeklyForm(form: FormData): {
	drafts: DayDraft[];
	schedule: { weekday: number; work: MinuteRange[]; breaks: MinuteRange[] }[];
	errors: Record<string, string>;
} {
	const drafts = draftsFromForm(form);
	const errors: Record<string, string> = {};
	const schedule: { weekday: number; work: MinuteRange[]; breaks: MinuteRange[] }[] = [];
	for (const day of drafts) {
		const work = readRanges(day.work, (row) => ({ start: fieldName('work', day.weekday, row, 'start'), end: fieldName('work', day.weekday, row, 'end') }));
		const breaks = readRanges(day.breaks, (row) => ({ start: fieldName('break', day.weekday, row, 'start'), end: fieldName('break', day.weekday, row, 'end') }));
		Object.assign(errors, work.errors, breaks.errors);
		if (work.ranges.length === 0 && breaks.ranges.length > 0) {
			const first = day.breaks.findIndex((r) => r.start.trim() !== '' || r.end.trim() !== '');
			errors[fieldName('break', day.weekday, Math.max(first, 0), 'start')] = 'A break needs working hours on the same day';
		}
		if (work.ranges.length > 0) schedule.push({ weekday: day.weekday, work: work.ranges, breaks: breaks.ranges });
	}
	return { drafts, schedule, errors };
}

/** Core's schedule messages name weekdays by number ("… on weekday 3 …"): use the name instead. */
export function weekdayNamesIn(message: string, name: (isoWeekday: number) => string): string {
	return message.replace(/\bweekday ([1-7])\b/g, (_, d: string) => name(Number(d)));
}
