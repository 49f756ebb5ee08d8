import { describe, expect, it } from "vitest";
import { chooseChannel } from "./channel-choice.js";
import { readSettings } from "./settings.js";
import { isStopCommand } from "./stop-words.js";

const id = (channel: string, externalId: string, day: number) => ({ channel, externalId, createdAt: new Date(Date.UTC(2027, 0, day)) });
const ALL = ["telegram", "whatsapp", "viber"];

describe("chooseChannel", () => {
  const identities = [id("telegram", "111", 1), id("whatsapp", "4520000000", 3), id("viber", "v-9", 2)];

  it("prefers the channel the client booked from, then their preferred one, then the newest identity", () => {
    expect(chooseChannel({ bookedFrom: "viber", preferred: "telegram", identities, available: ALL })).toEqual({ ok: true, channel: "viber", recipient: "v-9" });
    expect(chooseChannel({ bookedFrom: "admin", preferred: "telegram", identities, available: ALL })).toEqual({ ok: true, channel: "telegram", recipient: "111" });
    expect(chooseChannel({ bookedFrom: null, preferred: null, identities, available: ALL })).toEqual({ ok: true, channel: "whatsapp", recipient: "4520000000" });
  });

  it("only picks channels the salon can send on", () => {
    expect(chooseChannel({ bookedFrom: "whatsapp", preferred: null, identities, available: ["telegram"] })).toEqual({ ok: true, channel: "telegram", recipient: "111" });
    expect(chooseChannel({ bookedFrom: "whatsapp", preferred: null, identities: [identities[1]!], available: ["telegram"] })).toEqual({
      ok: false,
      reason: "no sender is set up for the client's messenger (whatsapp)",
      permanent: false,
    });
  });

  it("says so when the client has no messenger", () => {
    expect(chooseChannel({ bookedFrom: "admin", preferred: null, identities: [], available: ALL })).toEqual({ ok: false, reason: "client has no messenger", permanent: true });
  });
});

describe("isStopCommand", () => {
  it("recognises STOP and its equivalents, trimmed and in any case", () => {
    for (const text of ["STOP", " stop ", "Stop!", "STOPP", "Stoppen", "ARRÊT", "arrêt", "СТОП", "стоп", "Unsubscribe", "stop all", "STOP  ALL.", "/stop", "afmeld"]) {
      expect(isStopCommand(text), text).toBe(true);
    }
  });

  it("ignores sentences that merely contain the word", () => {
    for (const text of ["please stop", "stop by tomorrow?", "bus stop", "", "stopper", "non-stop"]) {
      expect(isStopCommand(text), text).toBe(false);
    }
  });
});

describe("readSettings", () => {
  it("fills defaults and keeps the valid fields of a damaged row", () => {
    const s = readSettings({ thankYouDelayMinutes: 90, quietHours: { startMinute: 5000 }, enabled: { birthday: false } });
    expect(s.thankYouDelayMinutes).toBe(90);
    expect(s.quietHours).toEqual({ startMinute: 21 * 60, endMinute: 9 * 60 });
    expect(s.enabled.birthday).toBe(false);
    expect(s.enabled.reminder_1h).toBe(true);
    expect(readSettings(null).reminderOffsets).toEqual({ reminder_24h: 1440, reminder_1h: 60 });
  });
});
