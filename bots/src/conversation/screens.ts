/**
 * What the client sees in each state: `show(state)` loads what it needs from core and returns the
 * prompts (and the state, which changes when there is nothing to show, e.g. a day with no times
 * left falls back to the day picker). Buttons of step-scoped choices carry `ctx.version + 1`.
 */
import { isDomainError, phoneExample, type BookingView, type SlotRequest } from "@chairside/core";
import { t, type MessageKey } from "../i18n/index.js";
import { bookingChoiceId, encodeInstant, globalId, stepId } from "./ids.js";
import type { ConversationState, StateOf } from "./state.js";
import type { Choice, Prompt, StepContext } from "./types.js";

/** What a step produces: the next state and the messages to send, in order. */
export interface StepResult {
  state: ConversationState;
  prompts: Prompt[];
}

/** Days per page in the day picker. */
export const DAYS_PER_PAGE = 7;
/** Most bookings listed under "My bookings". */
export const MAX_LISTED_BOOKINGS = 10;

/** The text of a message in the client's language. */
export function msg(ctx: Pick<StepContext, "messages">, key: MessageKey, params?: Record<string, string | number>): string {
  return t(ctx.messages, key, params);
}

const next = (ctx: StepContext) => ctx.version + 1;

/** The main menu's choices: Book, My bookings (global: they work from any old message). */
export function menuChoices(ctx: Pick<StepContext, "messages">): Choice[] {
  return [
    { id: globalId("book"), label: msg(ctx, "menuBook") },
    { id: globalId("my"), label: msg(ctx, "menuMyBookings") },
  ];
}

function menuNav(ctx: StepContext): Choice {
  return { id: globalId("menu"), label: msg(ctx, "toMenu"), nav: true };
}

function backNav(ctx: StepContext): Choice {
  return { id: stepId(next(ctx), "back"), label: msg(ctx, "back"), nav: true };
}

/** The main menu, with `text` (default: "What would you like to do?"). */
export function menu(ctx: StepContext, text = msg(ctx, "menu")): StepResult {
  return { state: { step: "menu" }, prompts: [{ text, choices: menuChoices(ctx) }] };
}

/** Puts `notice` in front of the first prompt's text (one message instead of two). */
export function prefix(notice: string, result: StepResult): StepResult {
  const [first, ...rest] = result.prompts;
  if (!first) return { ...result, prompts: [{ text: notice }] };
  return { ...result, prompts: [{ ...first, text: `${notice}\n\n${first.text}` }, ...rest] };
}

/** "That booking is no longer active." and the menu. */
export function inactive(ctx: StepContext): StepResult {
  return menu(ctx, `${msg(ctx, "bookingInactive")}\n\n${msg(ctx, "menu")}`);
}

/**
 * The booking if the client may still change it from the chat: theirs, confirmed, not started.
 * Null otherwise (cancelled meanwhile, someone else's, unknown id).
 */
export async function activeBooking(ctx: StepContext, bookingId: string): Promise<BookingView | null> {
  if (!ctx.client) return null;
  let booking: BookingView;
  try {
    booking = await ctx.core.bookings.getBooking({ tenantId: ctx.tenant.id, bookingId });
  } catch (e) {
    if (isDomainError(e, "not_found")) return null;
    throw e;
  }
  const mine = booking.clientId === ctx.client.id;
  return mine && booking.status === "confirmed" && booking.startsAt > ctx.now ? booking : null;
}

function whenParams(ctx: StepContext, startsAt: Date) {
  return { date: ctx.format.longDateOf(startsAt), time: ctx.format.time(startsAt) };
}

/** The prompt for one day picker page; no day choices when nothing is free. */
async function dayPicker(ctx: StepContext, request: SlotRequest, page: number, title: string, empty: string): Promise<Prompt> {
  const days = await ctx.core.availability.findDays(request);
  if (days.length === 0) return { text: empty, choices: [backNav(ctx), menuNav(ctx)] };
  const lastPage = Math.ceil(days.length / DAYS_PER_PAGE) - 1;
  const current = Math.min(page, lastPage);
  const choices: Choice[] = days
    .slice(current * DAYS_PER_PAGE, (current + 1) * DAYS_PER_PAGE)
    .map((d) => ({ id: stepId(next(ctx), "day", d.date), label: ctx.format.day(d.date) }));
  if (current > 0) choices.push({ id: stepId(next(ctx), "less"), label: msg(ctx, "earlier"), nav: true });
  if (current < lastPage) choices.push({ id: stepId(next(ctx), "more"), label: msg(ctx, "later"), nav: true });
  choices.push(backNav(ctx), menuNav(ctx));
  return { text: title, choices };
}

/** The prompt for the times of `date` (or the given alternatives); null when there are none. */
async function timePicker(
  ctx: StepContext,
  request: SlotRequest,
  date: string,
  alternatives: string[] | undefined,
  title: string,
): Promise<Prompt | null> {
  const starts = alternatives
    ? alternatives.map((iso) => new Date(iso)).filter((d) => d > ctx.now)
    : (await ctx.core.availability.findSlotsOnDay({ ...request, date })).map((s) => s.startsAt);
  if (starts.length === 0) return null;
  const otherDays = starts.some((s) => ctx.format.localDate(s) !== date);
  const choices: Choice[] = starts.map((s) => ({
    id: stepId(next(ctx), "t", encodeInstant(s)),
    label: otherDays ? `${ctx.format.day(ctx.format.localDate(s))} ${ctx.format.time(s)}` : ctx.format.time(s),
  }));
  choices.push(backNav(ctx), menuNav(ctx));
  return { text: alternatives ? msg(ctx, "alternatives") : title, choices };
}

async function showServices(ctx: StepContext): Promise<StepResult> {
  const services = await ctx.core.catalog.listServices(ctx.tenant.id);
  const state: ConversationState = { step: "pick_service" };
  if (services.length === 0) return { state, prompts: [{ text: msg(ctx, "noServices"), choices: [menuNav(ctx)] }] };
  const choices: Choice[] = services.map((s) => ({
    id: stepId(next(ctx), "svc", s.id),
    label: msg(ctx, "serviceLabel", { name: s.name, duration: s.durationMinutes, price: ctx.format.price(s.priceMinor, s.currency) }),
  }));
  choices.push(menuNav(ctx));
  return { state, prompts: [{ text: msg(ctx, "pickService"), choices }] };
}

/** The service of a state, or null when it is gone (deactivated since). */
export async function serviceOrNull(ctx: StepContext, serviceId: string) {
  try {
    return await ctx.core.catalog.getService(ctx.tenant.id, serviceId);
  } catch (e) {
    if (isDomainError(e, "not_found")) return null;
    throw e;
  }
}

async function showStaff(state: StateOf<"pick_staff">, ctx: StepContext): Promise<StepResult> {
  const service = await serviceOrNull(ctx, state.serviceId);
  if (!service) return showServices(ctx);
  const staff = await ctx.core.catalog.listStaffForService(ctx.tenant.id, service.id);
  if (staff.length === 0) return prefix(msg(ctx, "noStaff", { service: service.name }), await showServices(ctx));
  const choices: Choice[] = [
    { id: stepId(next(ctx), "stf", "any"), label: msg(ctx, "anyone") },
    ...staff.map((s) => ({ id: stepId(next(ctx), "stf", s.id), label: s.name })),
    backNav(ctx),
    menuNav(ctx),
  ];
  return { state, prompts: [{ text: msg(ctx, "pickStaff", { service: service.name }), choices }] };
}

async function showDays(state: StateOf<"pick_day">, ctx: StepContext): Promise<StepResult> {
  const service = await serviceOrNull(ctx, state.serviceId);
  if (!service) return showServices(ctx);
  const request = { tenantId: ctx.tenant.id, serviceId: service.id, staffId: state.staffId };
  const prompt = await dayPicker(
    ctx,
    request,
    state.page,
    msg(ctx, "pickDay", { service: service.name }),
    msg(ctx, "noDays", { service: service.name }),
  );
  return { state, prompts: [prompt] };
}

async function showTimes(state: StateOf<"pick_time">, ctx: StepContext): Promise<StepResult> {
  const service = await serviceOrNull(ctx, state.serviceId);
  if (!service) return showServices(ctx);
  const request = { tenantId: ctx.tenant.id, serviceId: service.id, staffId: state.staffId };
  const title = msg(ctx, "pickTime", { service: service.name, date: ctx.format.longDate(state.date) });
  const prompt = await timePicker(ctx, request, state.date, state.alternatives, title);
  if (prompt) return { state, prompts: [prompt] };
  if (state.alternatives) return showTimes({ ...state, alternatives: undefined }, ctx);
  const days = await showDays({ step: "pick_day", serviceId: state.serviceId, staffId: state.staffId, page: 0 }, ctx);
  return prefix(msg(ctx, "noTimes", { date: ctx.format.longDate(state.date) }), days);
}

function showContactPhone(state: StateOf<"contact_phone">, ctx: StepContext): StepResult {
  return {
    state,
    prompts: [
      {
        text: msg(ctx, ctx.sharesContact ? "askContact" : "askPhoneTyped", { example: phoneExample(ctx.tenant.country) }),
        requestContact: { label: msg(ctx, "shareContact") },
        choices: [backNav(ctx), menuNav(ctx)],
      },
    ],
  };
}

function showContactName(state: StateOf<"contact_name">, ctx: StepContext): StepResult {
  const name = ctx.profile.name?.trim().slice(0, 60);
  const choices: Choice[] = name ? [{ id: stepId(next(ctx), "name"), label: name }] : [];
  choices.push(backNav(ctx), menuNav(ctx));
  return { state, prompts: [{ text: msg(ctx, "askName"), choices }] };
}

async function showConfirm(state: StateOf<"confirm">, ctx: StepContext): Promise<StepResult> {
  const hold = await ctx.core.bookings.getBooking({ tenantId: ctx.tenant.id, bookingId: state.holdId }).catch((e) => {
    if (isDomainError(e, "not_found")) return null;
    throw e;
  });
  if (!hold) {
    const times = await showTimes({ step: "pick_time", serviceId: state.serviceId, staffId: state.staffId, date: state.date }, ctx);
    return prefix(msg(ctx, "holdLost"), times);
  }
  const text = msg(ctx, "confirmSummary", {
    service: hold.serviceName,
    staff: hold.staffName,
    ...whenParams(ctx, hold.startsAt),
    price: ctx.format.price(hold.priceMinor, hold.currency),
  });
  const choices: Choice[] = [
    { id: stepId(next(ctx), "ok"), label: msg(ctx, "confirmYes") },
    { id: stepId(next(ctx), "back"), label: msg(ctx, "otherTime"), nav: true },
    menuNav(ctx),
  ];
  return { state, prompts: [{ text, choices }] };
}

async function showMyBookings(ctx: StepContext): Promise<StepResult> {
  const state: ConversationState = { step: "my_bookings" };
  const bookings = ctx.client
    ? await ctx.core.bookings.listUpcomingForClient({ tenantId: ctx.tenant.id, clientId: ctx.client.id })
    : [];
  const upcoming = bookings.filter((b) => b.status === "confirmed").slice(0, MAX_LISTED_BOOKINGS);
  if (upcoming.length === 0) return { state, prompts: [{ text: msg(ctx, "noBookings"), choices: menuChoices(ctx) }] };
  const prompts: Prompt[] = upcoming.map((b, i) => {
    const line = msg(ctx, "bookingLine", { service: b.serviceName, staff: b.staffName, ...whenParams(ctx, b.startsAt) });
    return {
      text: i === 0 ? `${msg(ctx, "bookingsHeader")}\n\n${line}` : line,
      choices: [
        { id: bookingChoiceId("reschedule", b.id), label: msg(ctx, "reschedule") },
        { id: bookingChoiceId("cancel", b.id), label: msg(ctx, "cancel") },
      ],
    };
  });
  prompts.push({ text: msg(ctx, "anythingElse"), choices: menuChoices(ctx) });
  return { state, prompts };
}

async function showConfirmCancel(state: StateOf<"confirm_cancel">, ctx: StepContext): Promise<StepResult> {
  const booking = await activeBooking(ctx, state.bookingId);
  if (!booking) return inactive(ctx);
  const text = msg(ctx, "confirmCancel", { service: booking.serviceName, staff: booking.staffName, ...whenParams(ctx, booking.startsAt) });
  const choices: Choice[] = [
    { id: stepId(next(ctx), "yes"), label: msg(ctx, "cancelYes") },
    { id: stepId(next(ctx), "no"), label: msg(ctx, "cancelNo"), nav: true },
  ];
  return { state, prompts: [{ text, choices }] };
}

function rescheduleRequest(ctx: StepContext, booking: BookingView): SlotRequest {
  return { tenantId: ctx.tenant.id, serviceId: booking.serviceId, staffId: booking.staffId, excludeBookingId: booking.id };
}

async function showRescheduleDays(state: StateOf<"reschedule_day">, ctx: StepContext): Promise<StepResult> {
  const booking = await activeBooking(ctx, state.bookingId);
  if (!booking) return inactive(ctx);
  const prompt = await dayPicker(
    ctx,
    rescheduleRequest(ctx, booking),
    state.page,
    msg(ctx, "rescheduleDay", { service: booking.serviceName }),
    msg(ctx, "noDays", { service: booking.serviceName }),
  );
  return { state, prompts: [prompt] };
}

async function showRescheduleTimes(state: StateOf<"reschedule_time">, ctx: StepContext): Promise<StepResult> {
  const booking = await activeBooking(ctx, state.bookingId);
  if (!booking) return inactive(ctx);
  const title = msg(ctx, "pickTime", { service: booking.serviceName, date: ctx.format.longDate(state.date) });
  const prompt = await timePicker(ctx, rescheduleRequest(ctx, booking), state.date, state.alternatives, title);
  if (prompt) return { state, prompts: [prompt] };
  if (state.alternatives) return showRescheduleTimes({ ...state, alternatives: undefined }, ctx);
  const days = await showRescheduleDays({ step: "reschedule_day", bookingId: booking.id, page: 0 }, ctx);
  return prefix(msg(ctx, "noTimes", { date: ctx.format.longDate(state.date) }), days);
}

async function showConfirmReschedule(state: StateOf<"confirm_reschedule">, ctx: StepContext): Promise<StepResult> {
  const booking = await activeBooking(ctx, state.bookingId);
  if (!booking) return inactive(ctx);
  const to = new Date(state.startsAt);
  const text = msg(ctx, "confirmReschedule", {
    service: booking.serviceName,
    staff: booking.staffName,
    oldDate: ctx.format.longDateOf(booking.startsAt),
    oldTime: ctx.format.time(booking.startsAt),
    ...whenParams(ctx, to),
  });
  const choices: Choice[] = [
    { id: stepId(next(ctx), "ok"), label: msg(ctx, "rescheduleYes") },
    { id: stepId(next(ctx), "back"), label: msg(ctx, "otherTime"), nav: true },
    menuNav(ctx),
  ];
  return { state, prompts: [{ text, choices }] };
}

/** The prompts of `state` as it stands now (fresh data, fresh button versions). */
export async function show(state: ConversationState, ctx: StepContext): Promise<StepResult> {
  switch (state.step) {
    case "menu":
      return menu(ctx);
    case "pick_service":
      return showServices(ctx);
    case "pick_staff":
      return showStaff(state, ctx);
    case "pick_day":
      return showDays(state, ctx);
    case "pick_time":
      return showTimes(state, ctx);
    case "contact_phone":
      // A client known by now (identified by a phone the messenger vouches for) is never asked again.
      return ctx.client ? showConfirm({ ...state, step: "confirm" }, ctx) : showContactPhone(state, ctx);
    case "contact_name":
      return showContactName(state, ctx);
    case "confirm":
      return showConfirm(state, ctx);
    case "my_bookings":
      return showMyBookings(ctx);
    case "confirm_cancel":
      return showConfirmCancel(state, ctx);
    case "reschedule_day":
      return showRescheduleDays(state, ctx);
    case "reschedule_time":
      return showRescheduleTimes(state, ctx);
    case "confirm_reschedule":
      return showConfirmReschedule(state, ctx);
  }
}
