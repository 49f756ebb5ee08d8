import { isDomainError, NOTIFICATION_CHANNELS, OUTBOX_STATUSES, type NotificationChannel, type NotificationStatus } from '@chairside/core';
import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { failureReason } from '$lib/notifications/labels';
import { routes } from '$lib/routes';
import { throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

/** Rows per page. */
const PAGE_SIZE = 50;

/** The query string: unknown or empty values mean "any" (a hand-edited URL never errors). */
const filtersSchema = z.object({
	status: z.enum(OUTBOX_STATUSES).optional().catch(undefined),
	channel: z.enum(NOTIFICATION_CHANNELS).optional().catch(undefined),
	page: z.coerce.number().int().min(1).max(1_000_000).catch(1)
});

/** The page's filters, read from the URL. */
interface NotificationFilters {
	status?: NotificationStatus | undefined;
	channel?: NotificationChannel | undefined;
	page: number;
}

function readFilters(url: URL): NotificationFilters {
	const get = (key: string) => url.searchParams.get(key) || undefined;
	return filtersSchema.parse({ status: get('status'), channel: get('channel'), page: get('page') ?? 1 });
}

/**
 * The salon's outbox, newest first, 50 a page, filtered by `status` and `channel` from the query
 * string. Each row carries only what the page shows; failed rows (and pending ones whose last
 * attempt failed) get the reason in plain words.
 * A page past the end redirects to the last one.
 */
export const load = (async ({ locals, url }) => {
	const { core, tenant } = requirePermission(locals, 'notifications');
	const filters = readFilters(url);
	const result = await core.notifications
		.listPage({ tenantId: tenant.id, status: filters.status, channel: filters.channel, page: filters.page, pageSize: PAGE_SIZE })
		.catch(throwAsHttpError);
	if (filters.page > result.pageCount) redirect(303, routes.notifications({ ...filters, page: result.pageCount }));
	return {
		filters,
		statuses: OUTBOX_STATUSES,
		channels: NOTIFICATION_CHANNELS,
		total: result.total,
		pageCount: result.pageCount,
		rows: result.rows.map((r) => ({
			id: r.id,
			kind: r.kind,
			status: r.status,
			channel: r.channel,
			clientId: r.clientId,
			clientName: r.clientName,
			attempts: r.attempts,
			createdAt: r.createdAt.toISOString(),
			notBefore: r.notBefore.toISOString(),
			nextAttemptAt: r.nextAttemptAt.toISOString(),
			sentAt: r.sentAt?.toISOString() ?? null,
			/** Failed: why, in plain words; pending after a failed attempt: why that attempt failed. */
			reason: r.status === 'failed' || (r.status === 'pending' && r.attempts > 0 && r.lastError) ? failureReason(r.lastError) : null,
			/** The stored error as written (failed), or why it was cancelled. */
			lastError: r.status === 'failed' || r.status === 'cancelled' ? r.lastError : null
		}))
	};
}) satisfies PageServerLoad;

export const actions: Actions = {
	/**
	 * Sends a failed message again (core.notifications.retry): pending now, attempts from zero.
	 * 404 for an id that is not this salon's; 409 with a message when the row is no longer failed.
	 */
	retry: async ({ locals, request }) => {
		const { core, tenant } = requirePermission(locals, 'notifications');
		const id = z.uuid().safeParse((await request.formData()).get('id'));
		if (!id.success) error(404, { message: 'Message was not found', code: 'not_found' });
		try {
			const row = await core.notifications.retry({ tenantId: tenant.id, id: id.data });
			return { retried: { id: row.id, status: row.status } };
		} catch (e) {
			if (isDomainError(e, 'conflict')) return fail(409, { retryError: { id: id.data, message: e.message } });
			throwAsHttpError(e);
		}
	}
};
