/**
 * Which messenger reaches a client, chosen when a message is first sent: the one they booked from,
 * else their preferred one, else any linked identity (the most recently linked first), always
 * among the channels the salon can send on.
 */

/** A client's identity on one messenger. */
export interface ReachableIdentity {
  channel: string;
  externalId: string;
  createdAt: Date;
}

/** The chosen channel and recipient, or why there is none. */
export type ChannelChoice =
  | { ok: true; channel: string; recipient: string }
  | { ok: false; reason: string; permanent: boolean };

/**
 * Picks the channel and recipient for a client. `bookedFrom` is Booking.channel (null for messages
 * not about a booking); `available` are the channels the salon has a sender for. No identity at
 * all: "client has no messenger" (permanent). Identities only on channels the salon cannot send on
 * now: temporary (a channel may be set up again).
 */
export function chooseChannel(input: {
  bookedFrom: string | null;
  preferred: string | null;
  identities: readonly ReachableIdentity[];
  available: readonly string[];
}): ChannelChoice {
  const { identities, available } = input;
  if (identities.length === 0) return { ok: false, reason: "client has no messenger", permanent: true };
  const usable = identities.filter((i) => available.includes(i.channel));
  const on = (channel: string | null) => (channel ? usable.find((i) => i.channel === channel) : undefined);
  const newestFirst = [...usable].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const pick = on(input.bookedFrom) ?? on(input.preferred) ?? newestFirst[0];
  if (!pick) {
    const channels = [...new Set(identities.map((i) => i.channel))].sort().join(", ");
    return { ok: false, reason: `no sender is set up for the client's messenger (${channels})`, permanent: false };
  }
  return { ok: true, channel: pick.channel, recipient: pick.externalId };
}
