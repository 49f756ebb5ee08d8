import { describe, expect, it } from "vitest";
import { CATALOGUES, formattingLocale, pickLocale, t } from "./index.js";
import { en, type MessageKey } from "./en.js";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message catalogues", () => {
  it("every language has every key, non-empty, with the same placeholders as English", () => {
    for (const [language, messages] of Object.entries(CATALOGUES)) {
      for (const key of Object.keys(en) as MessageKey[]) {
        expect(messages[key], `${language}.${key}`).toBeTruthy();
        expect(placeholders(messages[key]), `${language}.${key}`).toEqual(placeholders(en[key]));
      }
      expect(Object.keys(messages).sort(), language).toEqual(Object.keys(en).sort());
    }
  });

  it("picks the client's language, then the salon's, then English", () => {
    expect(pickLocale("da", "en")).toBe("da");
    expect(pickLocale("da-DK", "en")).toBe("da");
    expect(pickLocale("pt-br", "da-DK")).toBe("da");
    expect(pickLocale(undefined, "da_DK")).toBe("da");
    expect(pickLocale("pt-br", "fr")).toBe("en");
    expect(pickLocale(null, null)).toBe("en");
    expect(pickLocale("constructor", "toString")).toBe("en");
  });

  it("formats with the salon's region when the language matches", () => {
    expect(formattingLocale("da", "da-DK")).toBe("da-DK");
    expect(formattingLocale("en", "da-DK")).toBe("en");
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(t(en, "thanks", { name: "Ada" })).toBe("Thanks, Ada!");
    expect(t(en, "thanks")).toBe("Thanks, {name}!");
    expect(t(en, "slotTaken", { time: "$& 10:00" })).toBe("Sorry, $& 10:00 was just taken.");
  });
});
