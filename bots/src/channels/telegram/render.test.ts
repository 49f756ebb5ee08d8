import { describe, expect, it } from "vitest";
import type { Choice } from "../../conversation/types.js";
import { layout, MAX_TEXT, renderPrompt } from "./render.js";

const times = ["09:00", "09:15", "09:30", "09:45", "10:00", "10:15"].map((t, i) => ({ id: `s:1:t:${i}`, label: t }));
const nav: Choice[] = [
  { id: "s:1:back", label: "« Back", nav: true },
  { id: "g:menu", label: "Menu", nav: true },
];

describe("renderPrompt", () => {
  it("puts short labels 4 to a row and navigation on its own row", () => {
    const rendered = renderPrompt({ text: "Free times", choices: [...times, ...nav] });
    const keyboard = (rendered.reply_markup as { inline_keyboard: { text: string }[][] }).inline_keyboard;
    expect(keyboard.map((row) => row.map((b) => b.text))).toEqual([
      ["09:00", "09:15", "09:30", "09:45"],
      ["10:00", "10:15"],
      ["« Back", "Menu"],
    ]);
    expect(keyboard[0]?.[0]).toEqual({ text: "09:00", callback_data: "s:1:t:0" });
  });

  it("puts long labels one to a row", () => {
    const rows = layout([{ id: "a", label: "Women's haircut · 60 min · DKK 450.00" }, { id: "b", label: "Colour · 90 min · DKK 900.00" }], (c) => c.id);
    expect(rows).toEqual([["a"], ["b"]]);
  });

  it("asks for the contact with a one-time reply keyboard whose other buttons send their label", () => {
    const rendered = renderPrompt({ text: "Phone?", requestContact: { label: "Share my phone number" }, choices: nav });
    expect(rendered.reply_markup).toEqual({
      keyboard: [[{ text: "Share my phone number", request_contact: true }], [{ text: "« Back" }, { text: "Menu" }]],
      one_time_keyboard: true,
      resize_keyboard: true,
    });
  });

  it("removes the reply keyboard, and sends plain text without markup", () => {
    expect(renderPrompt({ text: "Thanks!", removeKeyboard: true })).toEqual({ text: "Thanks!", reply_markup: { remove_keyboard: true } });
    expect(renderPrompt({ text: "Hi" })).toEqual({ text: "Hi" });
  });

  it("keeps within Telegram's limits", () => {
    expect(renderPrompt({ text: "x".repeat(5000) }).text).toHaveLength(MAX_TEXT);
    const many = Array.from({ length: 150 }, (_, i) => ({ id: `c${i}`, label: `${i}` }));
    const rendered = renderPrompt({ text: "Many", choices: [...many, ...nav] });
    expect((rendered.reply_markup as { inline_keyboard: unknown[][] }).inline_keyboard.flat()).toHaveLength(100);
    expect(() => renderPrompt({ text: "Bad", choices: [{ id: "x".repeat(65), label: "x" }] })).toThrow(/64 bytes/);
  });
});
