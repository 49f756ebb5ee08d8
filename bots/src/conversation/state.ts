/**
 * Where a chat stands: a small JSON-able discriminated union, stored per chat in PostgreSQL
 * (core's ChatStateStore) and validated on every load.
 */
import { z } from "zod";

const id = z.uuid();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const instant = z.iso.datetime({ offset: true });
const staffId = id.nullable();
const page = z.number().int().min(0).max(100);

/** A booking in progress once a time is held: what, with whom, which hold, when (ISO instant). */
const held = { serviceId: id, staffId, date, holdId: id, startsAt: instant };

/** The schema of every state. */
export const conversationStateSchema = z.discriminatedUnion("step", [
  z.object({ step: z.literal("menu") }),
  z.object({ step: z.literal("pick_service") }),
  z.object({ step: z.literal("pick_staff"), serviceId: id }),
  z.object({ step: z.literal("pick_day"), serviceId: id, staffId, page }),
  /** `alternatives` (ISO instants) replace the day's times after a slot was taken. */
  z.object({ step: z.literal("pick_time"), serviceId: id, staffId, date, alternatives: z.array(instant).max(20).optional() }),
  z.object({ step: z.literal("contact_phone"), ...held }),
  /** `phone` is E.164, typed by the client (not verified). */
  z.object({ step: z.literal("contact_name"), ...held, phone: z.string().max(20) }),
  z.object({ step: z.literal("confirm"), ...held }),
  z.object({ step: z.literal("my_bookings") }),
  z.object({ step: z.literal("confirm_cancel"), bookingId: id }),
  z.object({ step: z.literal("reschedule_day"), bookingId: id, page }),
  z.object({ step: z.literal("reschedule_time"), bookingId: id, date, alternatives: z.array(instant).max(20).optional() }),
  z.object({ step: z.literal("confirm_reschedule"), bookingId: id, date, startsAt: instant }),
]);

/** Where a chat stands. */
export type ConversationState = z.infer<typeof conversationStateSchema>;

/** The state with the given step. */
export type StateOf<S extends ConversationState["step"]> = Extract<ConversationState, { step: S }>;

/** Where a new chat starts. */
export const INITIAL_STATE: ConversationState = { step: "menu" };

/** The stored JSON as a state; the main menu when it is missing or no longer valid (a schema change). */
export function parseState(json: unknown): ConversationState {
  const parsed = conversationStateSchema.safeParse(json);
  return parsed.success ? parsed.data : INITIAL_STATE;
}

/** The id of the hold this state keeps, if any. */
export function holdOf(state: ConversationState): string | undefined {
  return "holdId" in state ? state.holdId : undefined;
}
