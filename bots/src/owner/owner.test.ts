import { describe, expect, it } from "vitest";
import { deliveryProductOf, OWNER_CHOICES, parseOwnerCommand, parseQuantity } from "./commands.js";
import { renderOwnerAlert } from "./render.js";

describe("owner commands", () => {
  it("reads /pair, the pair_ deep link, /agenda and /unpair; nothing else", () => {
    expect(parseOwnerCommand("/pair K7QX2MPA")).toEqual({ kind: "pair", code: "K7QX2MPA" });
    expect(parseOwnerCommand("/pair@salon_bot k7qx-2mpa ")).toEqual({ kind: "pair", code: "k7qx-2mpa" });
    expect(parseOwnerCommand("/pair")).toEqual({ kind: "pair", code: "" });
    expect(parseOwnerCommand("/start pair_K7QX2MPA")).toEqual({ kind: "pair", code: "K7QX2MPA" });
    expect(parseOwnerCommand("/AGENDA")).toEqual({ kind: "agenda" });
    expect(parseOwnerCommand("/unpair")).toEqual({ kind: "unpair" });
    for (const text of ["/start", "/start hello", "pair K7QX2MPA", "/pairing", "/agendas", "hi"]) expect(parseOwnerCommand(text), text).toBeNull();
  });

  it("takes whole quantities 1..100000 only", () => {
    expect(parseQuantity(" 12 ")).toBe(12);
    for (const text of ["0", "-3", "1.5", "12 pcs", "twelve", "", "100001"]) expect(parseQuantity(text), text).toBeNull();
  });

  it("carries the product in the delivery button (within Telegram's 64 bytes)", () => {
    const id = "3f2b8c1e-5d4a-4f6b-9c8d-7e6f5a4b3c2d";
    expect(deliveryProductOf(OWNER_CHOICES.delivery(id))).toBe(id);
    expect(Buffer.byteLength(OWNER_CHOICES.delivery(id))).toBeLessThanOrEqual(64);
    expect(deliveryProductOf("own:dlv:nope")).toBeNull();
  });
});

describe("owner alerts", () => {
  it("renders the daily summary in the salon's language with money and a long date", () => {
    const data = { alert: "daily_summary", salonName: "Salon", salonLocale: "da-DK", zone: "Europe/Copenhagen", date: "2030-03-04", bookings: 3, freeSlots: 12, yesterdayNetMinor: 1234_50, currency: "DKK" };
    const prompt = renderOwnerAlert({ data }, new Date("2030-03-04T08:00:00Z"));
    expect(prompt.text).toMatch(/^Godmorgen! Salon mandag den 4\. marts: 3 bookinger, 12 ledige tider\. Gårsdagens omsætning: 1\.234,50\s?kr\.\.$/);
    expect(prompt.choices?.map((c) => c.id)).toEqual([OWNER_CHOICES.agenda]);
  });

  it("refuses data it cannot render", () => {
    expect(() => renderOwnerAlert({ data: { alert: "low_stock" } }, new Date())).toThrow(/cannot be rendered/);
  });
});
