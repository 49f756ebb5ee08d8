import { isDomainError, type Core, type StaffDetails } from '@chairside/core';
import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { fieldErrors, throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import { formValues, readOverrideForm, readStaffForm, readTimeOffForm, type FieldErrors } from '$lib/settings/forms.server';
import { draftsFromWeekly, readWeeklyForm, weekdayNamesIn } from '$lib/settings/hours';
import { weekdayName } from '$lib/settings/time';
import type { Actions, PageServerLoad } from './$types';

/** The staff member of this salon, or a 404 (another salon's id included). */
async function staffMember(core: Core, tenantId: string, staffId: string): Promise<StaffDetails> {
	const member = (await core.catalogAdmin.listStaffForAdmin(tenantId, core.clock.now())).find((s) => s.id === staffId);
	if (!member) error(404, { message: 'Staff member was not found', code: 'not_found' });
	return member;
}

/** A domain error of a form: `invalid_input` → 400 with field errors (or the message for the form); others → HTTP. */
function formFailure(section: string, e: unknown, extra: Record<string, unknown> = {}, mapMessage: (m: string) => string = (m) => m) {
	if (isDomainError(e, 'invalid_input')) {
		const errors: FieldErrors = fieldErrors(e);
		if (Object.keys(errors).length === 0) errors.form = mapMessage(e.message);
		return fail(400, { section, errors, ...extra });
	}
	return throwAsHttpError(e);
}

/** One staff member: details and services, weekly hours and breaks, date overrides, time off. */
export const load = (async ({ locals, params }) => {
	const { core, tenant } = requirePermission(locals, 'settings');
	const [member, services] = await Promise.all([staffMember(core, tenant.id, params.id), core.catalogAdmin.listServicesForAdmin(tenant.id)]);
	return {
		member: { id: member.id, name: member.name, active: member.active, serviceIds: member.serviceIds },
		services: services.map((s) => ({ id: s.id, name: s.name, active: s.active })),
		drafts: draftsFromWeekly(member.weekly),
		overrides: member.overrides,
		timeOff: member.timeOff.map((t) => ({ id: t.id, startsAt: t.startsAt.toISOString(), endsAt: t.endsAt.toISOString(), reason: t.reason }))
	};
}) satisfies PageServerLoad;

export const actions: Actions = {
	/** Name, active and services (core.catalogAdmin.saveStaff). */
	details: async ({ locals, params, request }) => {
		const { core, tenant } = requirePermission(locals, 'settings');
		await staffMember(core, tenant.id, params.id);
		const form = await request.formData();
		const values = { name: String(form.get('name') ?? ''), active: form.get('active') === 'on', serviceIds: form.getAll('serviceIds').map(String) };
		const read = readStaffForm(form);
		if (!read.ok) return fail(400, { section: 'details', errors: read.errors, values });
		try {
			await core.catalogAdmin.saveStaff(tenant.id, read.value, params.id);
		} catch (e) {
			return formFailure('details', e, { values });
		}
		return { saved: 'details' };
	},

	/** Weekly hours and breaks (HH:MM → minutes; core checks overlaps and breaks inside hours). */
	hours: async ({ locals, params, request }) => {
		const { core, tenant } = requirePermission(locals, 'settings');
		await staffMember(core, tenant.id, params.id);
		const { drafts, schedule, errors } = readWeeklyForm(await request.formData());
		if (Object.keys(errors).length > 0) return fail(400, { section: 'hours', errors, drafts });
		try {
			await core.catalogAdmin.setWeeklySchedule(tenant.id, params.id, schedule);
		} catch (e) {
			return formFailure('hours', e, { drafts }, (m) => weekdayNamesIn(m, (d) => weekdayName(d, tenant.locale)));
		}
		return { saved: 'hours' };
	},

	/** Sets one date's hours (replacing the weekly hours that day), or closes it. */
	override: async ({ locals, params, request }) => {
		const { core, tenant } = requirePermission(locals, 'settings');
		await staffMember(core, tenant.id, params.id);
		const form = await request.formData();
		const values = formValues(form, ['date', 'mode', 'range-0-start', 'range-0-end', 'range-1-start', 'range-1-end', 'range-2-start', 'range-2-end']);
		const read = readOverrideForm(form);
		if (!read.ok) return fail(400, { section: 'override', errors: read.errors, values });
		try {
			await core.catalogAdmin.setDateOverride(tenant.id, params.id, read.value.date, read.value.ranges);
		} catch (e) {
			return formFailure('override', e, { values });
		}
		return { saved: 'override' };
	},

	/** Removes a date override: the weekly hours apply again that day. */
	removeOverride: async ({ locals, params, request }) => {
		const { core, tenant } = requirePermission(locals, 'settings');
		await staffMember(core, tenant.id, params.id);
		const date = z
			.string()
			.regex(/^\d{4}-\d{2}-\d{2}$/)
			.safeParse((await request.formData()).get('date'));
		if (!date.success) return fail(400, { section: 'override', errors: { form: 'Pick the date to remove' } as FieldErrors });
		await core.catalogAdmin.setDateOverride(tenant.id, params.id, date.data, null).catch(throwAsHttpError);
		return { saved: 'override' };
	},

	/** Time off from/to on the salon's clock (→ UTC instants). */
	addTimeOff: async ({ locals, params, request }) => {
		const { core, tenant } = requirePermission(locals, 'settings');
		await staffMember(core, tenant.id, params.id);
		const form = await request.formData();
		const values = formValues(form, ['from', 'to', 'reason']);
		const read = readTimeOffForm(form, tenant.timeZone);
		if (!read.ok) return fail(400, { section: 'timeOff', errors: read.errors, values });
		try {
			await core.catalogAdmin.addTimeOff(tenant.id, params.id, read.value);
		} catch (e) {
			return formFailure('timeOff', e, { values });
		}
		return { saved: 'timeOff' };
	},

	/** Removes one time off of this staff member (another's id is a 404). */
	removeTimeOff: async ({ locals, params, request }) => {
		const { core, tenant } = requirePermission(locals, 'settings');
		const member = await staffMember(core, tenant.id, params.id);
		const id = z.uuid().safeParse((await request.formData()).get('timeOffId'));
		if (!id.success || !member.timeOff.some((t) => t.id === id.data)) error(404, { message: 'Time off was not found', code: 'not_found' });
		await core.catalogAdmin.removeTimeOff(tenant.id, id.data).catch(throwAsHttpError);
		return { saved: 'timeOff' };
	}
};
