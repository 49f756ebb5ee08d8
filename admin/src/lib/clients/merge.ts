/**
 * What merging two client records will do, in words, before staff confirm it. Mirrors the rules
 * of core's CrmService.merge (see its doc comment): bookings, sales and messenger identities move;
 * empty fields are filled from the duplicate; tags are united; consent is kept if either gave it.
 * Browser-safe and pure.
 */

/** The parts of a client profile the preview reads (core's ClientProfile fits). */
export interface MergeSide {
	client: {
		id: string;
		name: string;
		phone: string | null;
		phoneVerified: boolean;
		birthday: string | null;
		notes: string | null;
		tags: string[];
		marketingConsent: boolean;
	};
	upcoming: unknown[];
	past: unknown[];
	visits: number;
	noShows: number;
	totalSpentMinor: number;
	messengers: string[];
}

/** One line of the preview. */
export interface MergeLine {
	/** "moves": history that moves over; "fills": a field filled or joined; "keeps": what stays as it is. */
	kind: 'moves' | 'fills' | 'keeps';
	text: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The preview of merging `duplicate` into `keep`. `money` formats minor units in the salon
 * currency. Past bookings are counted as the profile lists them (at most 50 are listed).
 */
export function describeMerge(keep: MergeSide, duplicate: MergeSide, money: (minor: number) => string): MergeLine[] {
	const lines: MergeLine[] = [];
	const bookings = duplicate.upcoming.length + duplicate.past.length;
	const k = keep.client;
	const d = duplicate.client;
	lines.push({
		kind: 'moves',
		text:
			bookings === 0
				? `${d.name} has no bookings to move.`
				: `${plural(bookings, 'booking')} ${bookings === 1 ? 'moves' : 'move'} to ${k.name} (${duplicate.upcoming.length} upcoming, ${plural(duplicate.visits, 'visit')}, ${plural(duplicate.noShows, 'no-show')}).`
	});
	if (duplicate.totalSpentMinor !== 0) lines.push({ kind: 'moves', text: `Sales worth ${money(duplicate.totalSpentMinor)} move to ${k.name}.` });
	const newMessengers = duplicate.messengers.filter((m) => !keep.messengers.includes(m));
	if (duplicate.messengers.length > 0) {
		lines.push({
			kind: 'moves',
			text: `Messenger identities move (${duplicate.messengers.join(', ')})${newMessengers.length ? `: ${k.name} can then be reached on ${newMessengers.join(', ')}` : ''}.`
		});
	}
	if (d.phone) {
		if (!k.phone) lines.push({ kind: 'fills', text: `${k.name} gets the phone ${d.phone}${d.phoneVerified ? ' (verified)' : ''}.` });
		else if (k.phone === d.phone) lines.push({ kind: 'keeps', text: `Both have the phone ${k.phone}.` });
		else lines.push({ kind: 'keeps', text: `${k.name} keeps the phone ${k.phone}; ${d.phone} stays on the merged record and still leads to ${k.name}.` });
	}
	if (!k.birthday && d.birthday) lines.push({ kind: 'fills', text: `Birthday ${d.birthday} is added.` });
	if (d.notes && k.notes !== d.notes && !(k.notes ?? '').includes(d.notes)) {
		lines.push({ kind: 'fills', text: k.notes ? 'The notes of both are joined.' : 'The notes are taken over.' });
	}
	const keepTags = new Set(k.tags.map((t) => t.toLowerCase()));
	const newTags = d.tags.filter((t) => !keepTags.has(t.toLowerCase()));
	if (newTags.length > 0) lines.push({ kind: 'fills', text: `Tags added: ${newTags.join(', ')}.` });
	if (d.marketingConsent && !k.marketingConsent) lines.push({ kind: 'fills', text: `${k.name} gets marketing consent (${d.name} gave it).` });
	lines.push({ kind: 'keeps', text: `${d.name} is hidden afterwards; links to it lead to ${k.name}.` });
	return lines;
}
