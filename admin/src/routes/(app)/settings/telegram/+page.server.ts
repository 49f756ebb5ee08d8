import { can, isDomainError, PAIRING_POLICY } from '@chairside/core';
import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

/** The signed-in owner's or manager's linked Telegram chats, the salon's other links (owners see them) and the daily-summary setting. */
export const load = (async ({ locals }) => {
	const { core, tenant, account } = requirePermission(locals, 'owner:telegram');
	const owner = can(account, 'settings');
	const [links, settings] = await Promise.all([
		core.owner.listLinks({ tenantId: tenant.id, ...(owner ? {} : { accountId: account.id }) }),
		core.owner.getSettings(tenant.id)
	]);
	return {
		links: links.map((l) => ({ id: l.id, accountName: l.accountName, mine: l.accountId === account.id, label: l.label, linkedAt: l.linkedAt.toISOString() })),
		dailySummary: settings.dailySummary,
		canChangeSettings: owner,
		ttlMinutes: PAIRING_POLICY.ttlMinutes
	};
}) satisfies PageServerLoad;

export const actions: Actions = {
	/** A one-time pairing code for the signed-in account, shown once (the database keeps only its hash). */
	code: async ({ locals }) => {
		const { core, tenant, account } = requirePermission(locals, 'owner:telegram');
		try {
			const grant = await core.owner.createPairingCode({ tenantId: tenant.id, accountId: account.id });
			return { code: grant.code, expiresAt: grant.expiresAt.toISOString() };
		} catch (e) {
			if (isDomainError(e, 'forbidden')) return fail(403, { error: e.message });
			return throwAsHttpError(e);
		}
	},

	/** Unlinks a chat: one's own; owners may unlink anyone's. */
	unlink: async ({ locals, request }) => {
		const { core, tenant, account } = requirePermission(locals, 'owner:telegram');
		const id = z.uuid().safeParse((await request.formData()).get('linkId'));
		if (!id.success) return fail(400, { error: 'Pick a chat from the list' });
		const removed = await core.owner.unlink({ tenantId: tenant.id, linkId: id.data, ...(can(account, 'settings') ? {} : { accountId: account.id }) });
		if (!removed) return fail(404, { error: 'That chat is not linked (any more)' });
		return { unlinked: true };
	},

	/** Switches the daily summary at opening time on or off (owners). */
	summary: async ({ locals, request }) => {
		const { core, tenant } = requirePermission(locals, 'settings');
		const on = (await request.formData()).get('dailySummary') === 'on';
		await core.owner.setSettings(tenant.id, { dailySummary: on }).catch(throwAsHttpError);
		return { saved: true };
	}
};
