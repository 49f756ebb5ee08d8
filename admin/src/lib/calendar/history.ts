/**
 * A booking's history (core's BookingEvent rows) in words for the details panel. Pure.
 */

/** The fields of a BookingEvent row this module reads. */
export interface BookingEventRow {
	type: string;
	/** "staff:<account id>", "client:<client id>", "channel:<name>", "system". */
	actor: string;
	fromStarts: Date | null;
	toStarts: Date | null;
	data: unknown;
	createdAt: Date;
}

/** One line of history. */
export interface HistoryEntry {
	/** ISO instant. */
	at: string;
	/** "Booked", "Moved", ... */
	what: string;
	/** Who did it, e.g. "Mona Manager", "the client", "Telegram", "the system". */
	who: string;
	/** Extra words, e.g. "from Tue 5 Mar, 10:00 to Tue 5 Mar, 11:00 (Anna → Ben)", or "". */
	detail: string;
}

const WHAT: Record<string, string> = {
	held: 'Time held',
	confirmed: 'Booked',
	rescheduled: 'Moved',
	cancelled: 'Cancelled',
	arrived: 'Marked arrived',
	completed: 'Completed',
	no_show: 'Marked no-show',
	expired: 'Hold lapsed',
	hold_released: 'Hold released'
};

const CHANNELS: Record<string, string> = { telegram: 'Telegram', whatsapp: 'WhatsApp', viber: 'Viber', web: 'the booking page', admin: 'the admin' };

/** Names to show: accounts by id, staff by id, and the booking's client. */
export interface HistoryNames {
	accounts: Map<string, string>;
	staff: Map<string, string>;
	clientId: string | null;
	/** Formats an instant in the salon's zone and locale. */
	formatInstant: (instant: Date) => string;
}

/** Who an actor string is, for people. */
export function describeActor(actor: string, names: Pick<HistoryNames, 'accounts' | 'clientId'>): string {
	const [kind, id = ''] = actor.split(':', 2) as [string, string | undefined];
	if (kind === 'staff') return names.accounts.get(id) ?? 'Staff';
	if (kind === 'client') return 'The client';
	if (kind === 'channel') return CHANNELS[id] ?? id;
	if (kind === 'system') return 'Chairside';
	return actor;
}

/** The history rows as lines, oldest first. */
export function describeHistory(rows: BookingEventRow[], names: HistoryNames): HistoryEntry[] {
	return rows.map((r) => {
		let detail = '';
		if (r.type === 'rescheduled' && r.fromStarts && r.toStarts) {
			detail = `from ${names.formatInstant(r.fromStarts)} to ${names.formatInstant(r.toStarts)}`;
			const data = (r.data ?? {}) as { fromStaffId?: string; toStaffId?: string };
			if (data.fromStaffId && data.toStaffId) {
				detail += ` (${names.staff.get(data.fromStaffId) ?? 'another column'} → ${names.staff.get(data.toStaffId) ?? 'another column'})`;
			}
		} else if (r.type === 'cancelled') {
			const reason = (r.data as { reason?: unknown } | null)?.reason;
			if (typeof reason === 'string' && reason) detail = reason;
		} else if (r.type === 'confirmed' && r.toStarts) {
			detail = `for ${names.formatInstant(r.toStarts)}`;
		}
		return { at: r.createdAt.toISOString(), what: WHAT[r.type] ?? r.type, who: describeActor(r.actor, names), detail };
	});
}
