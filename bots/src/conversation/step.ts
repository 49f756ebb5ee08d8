/**
 * The client conversation, written once for every channel: (state, event, context) → (next state,
 * prompts). Side effects go through core only (holds, bookings, client registration); the caller
 * stores the state. Domain errors become friendly replies in `replyFor`, the one table of them.
 */
import { DomainError, isDomainError, isStopCommand, parsePhone, phoneExample, type AvailableSlot, type ErrorCode } from "@chairside/core";
import type { MessageKey } from "../i18n/index.js";
import { decodeInstant, parseChoiceId, type ChoiceRef } from "./ids.js";
import { activeBooking, inactive, menu, menuChoices, msg, prefix, serviceOrNull, show, type StepResult } from "./screens.js";
import { holdOf, type ConversationState, type StateOf } from "./state.js";
import type { ConversationEvent, StepContext } from "./types.js";

/** Words that always lead back to the main menu (besides the localised "Menu" button label). */
const MENU_WORDS = new Set(["menu", "start", "/start", "/menu"]);
/** How many alternatives to offer after a slot was taken. */
const MAX_ALTERNATIVES = 8;

/** The one table from domain error code to the reply a client reads. Codes not listed are bugs. */
const REPLY_FOR: Partial<Record<ErrorCode, MessageKey>> = {
  not_found: "bookingInactive",
  booking_not_changeable: "bookingInactive",
  conflict: "bookingInactive",
  cancellation_too_late: "tooLate",
  slot_unavailable: "slotGone",
  hold_expired: "holdLost",
  invalid_phone: "badPhone",
};

/** The friendly reply for a domain error, or undefined when the error is not the client's to see. */
export function replyFor(e: unknown): MessageKey | undefined {
  return isDomainError(e) ? REPLY_FOR[e.code] : undefined;
}

/**
 * Handles one event. Leaving a state that keeps a hold releases the hold; leaving the contact
 * step hides the contact keyboard. Throws on errors that are not the client's (the caller logs
 * them and answers with a generic apology without saving the state).
 */
export async function step(state: ConversationState, event: ConversationEvent, ctx: StepContext): Promise<StepResult> {
  const result = await route(state, event, ctx);
  const before = holdOf(state);
  if (before && before !== holdOf(result.state)) {
    await ctx.core.bookings.releaseHold({ tenantId: ctx.tenant.id, bookingId: before });
  }
  if (state.step === "contact_phone" && result.state.step !== "contact_phone" && !result.prompts.some((p) => p.removeKeyboard)) {
    result.prompts.unshift({ text: msg(ctx, "contactLater"), removeKeyboard: true });
  }
  return result;
}

async function route(state: ConversationState, event: ConversationEvent, ctx: StepContext): Promise<StepResult> {
  // STOP (and its equivalents) opts out from anywhere in the conversation (issue 5).
  if (event.kind === "text" && isStopCommand(event.text)) {
    await ctx.core.notifications.optOut({ tenantId: ctx.tenant.id, channel: ctx.channel, externalId: ctx.userId });
    return { state, prompts: [{ text: msg(ctx, "optedOut", { salon: ctx.tenant.name }) }] };
  }
  switch (event.kind) {
    case "start":
      return menu(ctx, msg(ctx, "welcome", { salon: ctx.tenant.name }));
    case "unsupported":
      return prefix(msg(ctx, "unsupported"), await show(state, ctx));
    case "contact":
      if (state.step === "contact_phone") return onContact(state, event, ctx);
      return prefix(msg(ctx, "help"), await show(state, ctx));
    case "text":
      return onText(state, event.text, ctx);
    case "choice":
      return onChoice(state, event.id, ctx, false);
  }
}

/** Lower case, punctuation and symbols folded to single spaces: "« Back" → "back", "09:15" → "09 15". */
function normalise(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/**
 * Typed text: a menu word; in the contact steps a phone number or a name; else the n-th option
 * ("2"), or an option's label typed out; else a short help with the current buttons.
 */
async function onText(state: ConversationState, raw: string, ctx: StepContext): Promise<StepResult> {
  const text = raw.trim().slice(0, 500);
  if (MENU_WORDS.has(text.toLowerCase())) return menu(ctx);
  const current = await show(state, ctx);
  const choices = current.state.step === state.step ? current.prompts.flatMap((p) => p.choices ?? []) : [];
  const typed = normalise(text);
  const byLabel = typed ? choices.find((c) => normalise(c.label) === typed) : undefined;
  if (byLabel) return onChoice(state, byLabel.id, ctx, true);
  if (state.step === "contact_phone") return onTypedPhone(state, text, ctx);
  if (state.step === "contact_name") return onTypedName(state, text, ctx);
  if (/^\d{1,3}$/.test(text)) {
    const options = choices.filter((c) => !c.nav);
    const picked = options[Number(text) - 1];
    if (picked) return onChoice(state, picked.id, ctx, true);
  }
  return prefix(msg(ctx, "help"), current);
}

/** A stale button: say so honestly, then show where the chat stands now. */
async function stale(state: ConversationState, ctx: StepContext): Promise<StepResult> {
  return prefix(msg(ctx, "staleButton"), await show(state, ctx));
}

/**
 * A pressed button (or text resolved to one: `resolved` skips the version check, the choice was
 * matched against the current buttons).
 */
async function onChoice(state: ConversationState, id: string, ctx: StepContext, resolved: boolean): Promise<StepResult> {
  const ref = parseChoiceId(id);
  if (!ref) return stale(state, ctx);
  switch (ref.scope) {
    case "global":
      if (ref.action === "book") return show({ step: "pick_service" }, ctx);
      if (ref.action === "my") return show({ step: "my_bookings" }, ctx);
      return menu(ctx);
    case "booking": {
      const booking = await activeBooking(ctx, ref.bookingId);
      if (!booking) return inactive(ctx);
      if (ref.action === "reschedule") return show({ step: "reschedule_day", bookingId: booking.id, page: 0 }, ctx);
      if (ref.action === "confirm") {
        // The reminder's Confirm button (issue 5): recorded in the booking's history.
        await ctx.core.notifications.recordClientConfirmation({ tenantId: ctx.tenant.id, bookingId: booking.id, clientId: booking.clientId! });
        const when = { date: ctx.format.longDateOf(booking.startsAt), time: ctx.format.time(booking.startsAt) };
        return menu(ctx, `${msg(ctx, "attendanceConfirmed", when)}\n\n${msg(ctx, "anythingElse")}`);
      }
      return show({ step: "confirm_cancel", bookingId: booking.id }, ctx);
    }
    case "step": {
      if (!resolved && ref.version !== ctx.version) return stale(state, ctx);
      return (await onStepAction(state, ref, ctx)) ?? stale(state, ctx);
    }
  }
}

type StepRef = Extract<ChoiceRef, { scope: "step" }>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A step-scoped action in the state it belongs to; null when it does not belong here (stale). */
async function onStepAction(state: ConversationState, ref: StepRef, ctx: StepContext): Promise<StepResult | null> {
  const { action, arg } = ref;
  switch (state.step) {
    case "pick_service": {
      if (action !== "svc" || !arg) return null;
      const service = await serviceOrNull(ctx, arg);
      return service ? show({ step: "pick_staff", serviceId: service.id }, ctx) : null;
    }
    case "pick_staff": {
      if (action === "back") return show({ step: "pick_service" }, ctx);
      if (action !== "stf" || !arg) return null;
      if (arg !== "any") {
        const staff = await ctx.core.catalog.listStaffForService(ctx.tenant.id, state.serviceId);
        if (!staff.some((s) => s.id === arg)) return null;
      }
      return show({ step: "pick_day", serviceId: state.serviceId, staffId: arg === "any" ? null : arg, page: 0 }, ctx);
    }
    case "pick_day": {
      if (action === "back") return show({ step: "pick_staff", serviceId: state.serviceId }, ctx);
      if (action === "more") return show({ ...state, page: state.page + 1 }, ctx);
      if (action === "less") return show({ ...state, page: Math.max(0, state.page - 1) }, ctx);
      if (action !== "day" || !arg || !DATE.test(arg)) return null;
      return show({ step: "pick_time", serviceId: state.serviceId, staffId: state.staffId, date: arg }, ctx);
    }
    case "pick_time": {
      if (action === "back") return show({ step: "pick_day", serviceId: state.serviceId, staffId: state.staffId, page: 0 }, ctx);
      const startsAt = action === "t" ? decodeInstant(arg) : null;
      return startsAt ? holdTime(state, startsAt, ctx) : null;
    }
    case "contact_phone":
      return action === "back" ? show(timesOf(state), ctx) : null;
    case "contact_name": {
      if (action === "back") return show({ ...withoutPhone(state), step: "contact_phone" }, ctx);
      return action === "name" && ctx.profile.name ? onTypedName(state, ctx.profile.name, ctx) : null;
    }
    case "confirm": {
      if (action === "back") return show(timesOf(state), ctx);
      return action === "ok" ? confirmHold(state, ctx) : null;
    }
    case "confirm_cancel": {
      if (action === "no") return show({ step: "my_bookings" }, ctx);
      return action === "yes" ? cancelBooking(state, ctx) : null;
    }
    case "reschedule_day": {
      if (action === "back") return show({ step: "my_bookings" }, ctx);
      if (action === "more") return show({ ...state, page: state.page + 1 }, ctx);
      if (action === "less") return show({ ...state, page: Math.max(0, state.page - 1) }, ctx);
      if (action !== "day" || !arg || !DATE.test(arg)) return null;
      return show({ step: "reschedule_time", bookingId: state.bookingId, date: arg }, ctx);
    }
    case "reschedule_time": {
      if (action === "back") return show({ step: "reschedule_day", bookingId: state.bookingId, page: 0 }, ctx);
      const startsAt = action === "t" ? decodeInstant(arg) : null;
      if (!startsAt) return null;
      return show(
        { step: "confirm_reschedule", bookingId: state.bookingId, date: ctx.format.localDate(startsAt), startsAt: startsAt.toISOString() },
        ctx,
      );
    }
    case "confirm_reschedule": {
      if (action === "back") return show({ step: "reschedule_time", bookingId: state.bookingId, date: state.date }, ctx);
      return action === "ok" ? rescheduleBooking(state, ctx) : null;
    }
    case "menu":
    case "my_bookings":
      return null;
  }
}

type HeldState = StateOf<"contact_phone"> | StateOf<"contact_name"> | StateOf<"confirm">;

function timesOf(state: HeldState): StateOf<"pick_time"> {
  return { step: "pick_time", serviceId: state.serviceId, staffId: state.staffId, date: state.date };
}

function withoutPhone(state: StateOf<"contact_name">): StateOf<"contact_phone"> {
  const { phone: _phone, ...rest } = state;
  return { ...rest, step: "contact_phone" };
}

/** "Sorry, 10:00 was just taken" and, at once, the nearest free alternatives as choices. */
async function slotTaken(
  e: DomainError,
  takenAt: Date,
  staffId: string | null,
  alternativesState: (alternatives: string[] | undefined) => ConversationState,
  ctx: StepContext,
): Promise<StepResult> {
  const offered = ((e.details as { alternatives?: AvailableSlot[] } | undefined)?.alternatives ?? [])
    .filter((a) => staffId === null || a.staffIds.includes(staffId))
    .slice(0, MAX_ALTERNATIVES)
    .map((a) => new Date(a.startsAt).toISOString());
  const notice = msg(ctx, "slotTaken", { time: ctx.format.time(takenAt) });
  return prefix(notice, await show(alternativesState(offered.length ? offered : undefined), ctx));
}

async function holdTime(state: StateOf<"pick_time">, startsAt: Date, ctx: StepContext): Promise<StepResult> {
  const { serviceId, staffId } = state;
  try {
    const hold = await ctx.core.bookings.hold({
      tenantId: ctx.tenant.id,
      serviceId,
      staffId,
      startsAt,
      channel: ctx.channel,
      clientId: ctx.client?.id ?? null,
    });
    const held = { serviceId, staffId, date: ctx.format.localDate(hold.startsAt), holdId: hold.id, startsAt: hold.startsAt.toISOString() };
    return show(ctx.client ? { step: "confirm", ...held } : { step: "contact_phone", ...held }, ctx);
  } catch (e) {
    if (isDomainError(e, "slot_taken")) {
      return slotTaken(e, startsAt, staffId, (alternatives) => ({ step: "pick_time", serviceId, staffId, date: state.date, alternatives }), ctx);
    }
    if (isDomainError(e, "slot_unavailable")) return prefix(msg(ctx, "slotGone"), await show({ ...state, alternatives: undefined }, ctx));
    throw e;
  }
}

function badPhoneReply(e: unknown, ctx: StepContext): string {
  const example = isDomainError(e) ? (e.details as { example?: unknown } | undefined)?.example : undefined;
  return msg(ctx, "badPhone", { example: typeof example === "string" ? example : phoneExample(ctx.tenant.country) });
}

async function onContact(
  state: StateOf<"contact_phone">,
  event: Extract<ConversationEvent, { kind: "contact" }>,
  ctx: StepContext,
): Promise<StepResult> {
  // Someone else's contact proves nothing about the sender: treat its number as typed.
  if (!event.verified) return onTypedPhone(state, event.phone, ctx);
  try {
    ctx.client = await ctx.core.clients.identifyWithVerifiedPhone({
      tenantId: ctx.tenant.id,
      channel: ctx.channel,
      externalId: ctx.userId,
      phone: event.phone,
      name: (event.name.trim() || ctx.profile.name?.trim() || event.phone).slice(0, 100),
      locale: ctx.profile.languageCode,
    });
  } catch (e) {
    if (isDomainError(e, "invalid_phone")) return prefix(badPhoneReply(e, ctx), await show(state, ctx));
    throw e;
  }
  const confirm = await show({ ...state, step: "confirm" }, ctx);
  return { state: confirm.state, prompts: [{ text: msg(ctx, "thanks", { name: ctx.client.name }), removeKeyboard: true }, ...confirm.prompts] };
}

async function onTypedPhone(state: StateOf<"contact_phone">, text: string, ctx: StepContext): Promise<StepResult> {
  let phone: string;
  try {
    phone = parsePhone(text, ctx.tenant.country);
  } catch (e) {
    if (isDomainError(e, "invalid_phone")) return prefix(badPhoneReply(e, ctx), await show(state, ctx));
    throw e;
  }
  const next = await show({ ...state, step: "contact_name", phone }, ctx);
  return { state: next.state, prompts: [{ text: msg(ctx, "phoneNoted", { phone }), removeKeyboard: true }, ...next.prompts] };
}

async function onTypedName(state: StateOf<"contact_name">, text: string, ctx: StepContext): Promise<StepResult> {
  const name = text.trim().replace(/\s+/g, " ");
  if (name.length === 0 || name.length > 60 || !/\p{L}/u.test(name)) return prefix(msg(ctx, "badName"), await show(state, ctx));
  try {
    ctx.client = await ctx.core.clients.registerWithTypedPhone({
      tenantId: ctx.tenant.id,
      channel: ctx.channel,
      externalId: ctx.userId,
      phone: state.phone,
      name,
      locale: ctx.profile.languageCode,
    });
  } catch (e) {
    if (isDomainError(e, "invalid_phone")) return prefix(badPhoneReply(e, ctx), await show(withoutPhone(state), ctx));
    throw e;
  }
  return prefix(msg(ctx, "thanks", { name: ctx.client.name }), await show({ ...withoutPhone(state), step: "confirm" }, ctx));
}

async function confirmHold(state: StateOf<"confirm">, ctx: StepContext): Promise<StepResult> {
  if (!ctx.client) return show({ ...state, step: "contact_phone" }, ctx);
  const startsAt = new Date(state.startsAt);
  try {
    const booking = await ctx.core.bookings.confirm({
      tenantId: ctx.tenant.id,
      bookingId: state.holdId,
      clientId: ctx.client.id,
      actor: `client:${ctx.client.id}`,
    });
    const text = msg(ctx, "booked", {
      service: booking.serviceName,
      staff: booking.staffName,
      date: ctx.format.longDateOf(booking.startsAt),
      time: ctx.format.time(booking.startsAt),
    });
    return { state: { step: "menu" }, prompts: [{ text, choices: menuChoices(ctx) }] };
  } catch (e) {
    if (isDomainError(e, "slot_taken")) {
      const { serviceId, staffId, date } = state;
      return slotTaken(e, startsAt, staffId, (alternatives) => ({ step: "pick_time", serviceId, staffId, date, alternatives }), ctx);
    }
    if (isDomainError(e, "not_found") || isDomainError(e, "booking_not_changeable") || isDomainError(e, "hold_expired")) {
      return prefix(msg(ctx, "holdLost"), await show(timesOf(state), ctx));
    }
    throw e;
  }
}

async function cancelBooking(state: StateOf<"confirm_cancel">, ctx: StepContext): Promise<StepResult> {
  const booking = await activeBooking(ctx, state.bookingId);
  if (!booking || !ctx.client) return inactive(ctx);
  try {
    await ctx.core.bookings.cancel({
      tenantId: ctx.tenant.id,
      bookingId: booking.id,
      clientId: ctx.client.id,
      actor: `client:${ctx.client.id}`,
    });
  } catch (e) {
    const reply = replyFor(e);
    if (reply) return menu(ctx, `${msg(ctx, reply)}\n\n${msg(ctx, "menu")}`);
    throw e;
  }
  const text = msg(ctx, "cancelled", {
    service: booking.serviceName,
    date: ctx.format.longDateOf(booking.startsAt),
    time: ctx.format.time(booking.startsAt),
  });
  return menu(ctx, `${text}\n\n${msg(ctx, "anythingElse")}`);
}

async function rescheduleBooking(state: StateOf<"confirm_reschedule">, ctx: StepContext): Promise<StepResult> {
  const booking = await activeBooking(ctx, state.bookingId);
  if (!booking || !ctx.client) return inactive(ctx);
  const startsAt = new Date(state.startsAt);
  try {
    const moved = await ctx.core.bookings.reschedule({
      tenantId: ctx.tenant.id,
      bookingId: booking.id,
      startsAt,
      clientId: ctx.client.id,
      actor: `client:${ctx.client.id}`,
    });
    const text = msg(ctx, "rescheduled", {
      service: moved.serviceName,
      staff: moved.staffName,
      date: ctx.format.longDateOf(moved.startsAt),
      time: ctx.format.time(moved.startsAt),
    });
    return menu(ctx, `${text}\n\n${msg(ctx, "anythingElse")}`);
  } catch (e) {
    if (isDomainError(e, "slot_taken")) {
      const { bookingId, date } = state;
      return slotTaken(e, startsAt, booking.staffId, (alternatives) => ({ step: "reschedule_time", bookingId, date, alternatives }), ctx);
    }
    if (isDomainError(e, "slot_unavailable")) {
      return prefix(msg(ctx, "slotGone"), await show({ step: "reschedule_time", bookingId: state.bookingId, date: state.date }, ctx));
    }
    const reply = replyFor(e);
    if (reply) return menu(ctx, `${msg(ctx, reply)}\n\n${msg(ctx, "menu")}`);
    throw e;
  }
}
