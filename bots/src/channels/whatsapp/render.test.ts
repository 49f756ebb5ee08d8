import { describe, expect, it } from "vitest";
import type { Choice, Prompt } from "../../conversation/types.js";
import { LIMITS, renderPrompt, shorten, splitForInteractive, splitText, uniqueTitles, type RenderedMessage } from "./render.js";

const labels = { choose: "Choose", more: "More…" };
const nav: Choice[] = [
  { id: "s:4:back", label: "« Back", nav: true },
  { id: "g:menu", label: "Menu", nav: true },
];
const times = (n: number): Choice[] =>
  Array.from({ length: n }, (_, i) => ({ id: `s:4:t:${(29_000_000 + i * 15).toString(36)}`, label: `${String(9 + Math.floor(i / 4)).padStart(2, "0")}:${String((i % 4) * 15).padStart(2, "0")}` }));

/** The wire JSON of the rendered messages (what the Graph API receives under `type`). */
const wire = (messages: RenderedMessage[]) => JSON.parse(JSON.stringify(messages)) as any[];
const rowsOf = (m: any): any[] => m.interactive.action.sections.flatMap((s: any) => s.rows);
const buttonsOf = (m: any): any[] => m.interactive.action.buttons.map((b: any) => b.reply);
const choicesOf = (m: any): { id: string; title: string }[] => (m.interactive?.type === "list" ? rowsOf(m) : m.interactive?.type === "button" ? buttonsOf(m) : []);

/** Every documented limit, checked on every rendered message. */
function expectWithinLimits(messages: RenderedMessage[]): void {
  for (const m of wire(messages)) {
    if (m.type === "text") {
      expect(m.text.body.length).toBeGreaterThan(0);
      expect(m.text.body.length).toBeLessThanOrEqual(LIMITS.textBody);
      continue;
    }
    const i = m.interactive;
    expect(i.body.text.length).toBeGreaterThan(0);
    expect(i.body.text.length).toBeLessThanOrEqual(LIMITS.interactiveBody);
    if (i.type === "button") {
      const buttons = buttonsOf(m);
      expect(buttons.length).toBeGreaterThanOrEqual(1);
      expect(buttons.length).toBeLessThanOrEqual(LIMITS.buttons);
      for (const b of buttons) {
        expect(b.title.length).toBeLessThanOrEqual(LIMITS.buttonTitle);
        expect(b.id.length).toBeLessThanOrEqual(LIMITS.buttonId);
      }
      expect(new Set(buttons.map((b) => b.title)).size).toBe(buttons.length);
    } else {
      expect(i.type).toBe("list");
      expect(i.action.button.length).toBeLessThanOrEqual(LIMITS.listButton);
      const rows = rowsOf(m);
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(rows.length).toBeLessThanOrEqual(LIMITS.listRows);
      for (const r of rows) {
        expect(r.title.length).toBeLessThanOrEqual(LIMITS.rowTitle);
        expect(r.id.length).toBeLessThanOrEqual(LIMITS.rowId);
        if (r.description !== undefined) expect(r.description.length).toBeLessThanOrEqual(LIMITS.rowDescription);
      }
      expect(new Set(rows.map((r) => r.title)).size).toBe(rows.length);
      expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    }
  }
}

describe("renderPrompt: message kind by number of choices", () => {
  const cases: { name: string; prompt: Prompt; kinds: string[] }[] = [
    { name: "no choices → text", prompt: { text: "Thanks!" }, kinds: ["text"] },
    { name: "1 choice → reply buttons", prompt: { text: "Pick", choices: [{ id: "a", label: "A" }] }, kinds: ["button"] },
    { name: "3 choices → reply buttons", prompt: { text: "Pick", choices: [{ id: "ok", label: "Confirm" }, ...nav] }, kinds: ["button"] },
    { name: "4 choices → one list", prompt: { text: "Pick", choices: [...times(2), ...nav] }, kinds: ["list"] },
    { name: "10 choices → one list", prompt: { text: "Pick", choices: [...times(8), ...nav] }, kinds: ["list"] },
    { name: "11 choices → a list and a reply-button page", prompt: { text: "Pick", choices: [...times(9), ...nav] }, kinds: ["list", "button"] },
    { name: "14 choices → two lists", prompt: { text: "Pick", choices: [...times(12), ...nav] }, kinds: ["list", "list"] },
    { name: "32 choices (30 times) → 3 lists and the navigation as buttons", prompt: { text: "Pick", choices: [...times(30), ...nav] }, kinds: ["list", "list", "list", "button"] },
    { name: "34 choices → 4 lists", prompt: { text: "Pick", choices: [...times(34)] }, kinds: ["list", "list", "list", "list"] },
  ];
  it.each(cases)("$name", ({ prompt, kinds }) => {
    const messages = renderPrompt(prompt, labels);
    expect(wire(messages).map((m) => (m.type === "text" ? "text" : m.interactive.type))).toEqual(kinds);
    expectWithinLimits(messages);
    // Every choice is on exactly one message, with its own id, in order (options, then navigation).
    const ids = wire(messages).flatMap((m) => choicesOf(m).map((c) => c.id));
    const expected = [...(prompt.choices ?? []).filter((c) => !c.nav), ...(prompt.choices ?? []).filter((c) => c.nav)].map((c) => c.id);
    expect(ids).toEqual(expected);
  });
});

describe("renderPrompt: shapes", () => {
  it("renders reply buttons in the documented shape", () => {
    expect(wire(renderPrompt({ text: "Please confirm", choices: [{ id: "s:2:ok", label: "Confirm" }, ...nav] }, labels))).toEqual([
      {
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "Please confirm" },
          action: {
            buttons: [
              { type: "reply", reply: { id: "s:2:ok", title: "Confirm" } },
              { type: "reply", reply: { id: "s:4:back", title: "« Back" } },
              { type: "reply", reply: { id: "g:menu", title: "Menu" } },
            ],
          },
        },
      },
    ]);
  });

  it("renders a list with the catalogue's button label, options first and navigation last", () => {
    const [list] = wire(renderPrompt({ text: "Who?", choices: [nav[1]!, { id: "s:1:stf:any", label: "Anyone available" }, { id: "s:1:stf:a", label: "Anna" }, { id: "s:1:stf:b", label: "Ben" }] }, { choose: "Vælg", more: "Flere…" }));
    expect(list).toEqual({
      type: "interactive",
      interactive: {
        type: "list",
        body: { text: "Who?" },
        action: {
          button: "Vælg",
          sections: [
            {
              rows: [
                { id: "s:1:stf:any", title: "Anyone available" },
                { id: "s:1:stf:a", title: "Anna" },
                { id: "s:1:stf:b", title: "Ben" },
                { id: "g:menu", title: "Menu" },
              ],
            },
          ],
        },
      },
    });
  });

  it("pages 30 free times: the first list carries the text, further pages the catalogue's More text", () => {
    const messages = wire(renderPrompt({ text: "Free times for Men's haircut on Friday 6 March:", choices: [...times(30), ...nav] }, labels));
    expect(messages.map((m) => m.interactive.body.text)).toEqual(["Free times for Men's haircut on Friday 6 March:", "More…", "More…", "More…"]);
    expect(rowsOf(messages[0]).map((r) => r.title).slice(0, 3)).toEqual(["09:00", "09:15", "09:30"]);
    expect(rowsOf(messages[2]).at(-1)).toEqual({ id: times(30)[29]!.id, title: "16:15" });
    expect(buttonsOf(messages[3])).toEqual([
      { id: "s:4:back", title: "« Back" },
      { id: "g:menu", title: "Menu" },
    ]);
  });

  it("puts a long service label's details in the row description", () => {
    const services: Choice[] = [
      { id: "s:1:svc:1", label: "Women's haircut · 60 min · DKK 450.00" },
      { id: "s:1:svc:2", label: "Colour, highlights and a very long treatment name · 120 min · DKK 1,200.00" },
      { id: "s:1:svc:3", label: "Men's haircut · 30 min · DKK 300.00" },
    ];
    const [list] = wire(renderPrompt({ text: "Which service?", choices: [...services, nav[1]!] }, labels));
    expect(rowsOf(list)).toEqual([
      { id: "s:1:svc:1", title: "Women's haircut", description: "60 min · DKK 450.00" },
      {
        id: "s:1:svc:2",
        title: "Colour, highlights and…",
        description: "Colour, highlights and a very long treatment name · 120 min · DKK 1,200…",
      },
      { id: "s:1:svc:3", title: "Men's haircut", description: "30 min · DKK 300.00" },
      { id: "g:menu", title: "Menu" },
    ]);
  });

  it("keeps shortened titles unique", () => {
    const same = ["Anna-Sophie Christensen-Larsen", "Anna-Sophie Christensen-Lund", "Anna-Sophie Christensen-Lind"];
    const buttons = buttonsOf(wire(renderPrompt({ text: "Who?", choices: same.map((label, i) => ({ id: `s:1:stf:${i}`, label })) }, labels))[0]);
    expect(buttons.map((b) => b.title)).toEqual(["Anna-Sophie Christe…", "Anna-Sophie Chr… (2)", "Anna-Sophie Chr… (3)"]);
    const rows = rowsOf(wire(renderPrompt({ text: "Who?", choices: [...same, "Bo", "Bo"].map((label, i) => ({ id: `s:1:stf:${i}`, label })) }, labels))[0]);
    expect(rows.map((r) => r.title)).toEqual(["Anna-Sophie Christensen…", "Anna-Sophie Christe… (2)", "Anna-Sophie Christe… (3)", "Bo", "Bo (2)"]);
    // The whole name stays readable in the row's description.
    expect(rows.slice(0, 3).map((r) => r.description)).toEqual(same);
  });

  it("sends a request for the contact as its text and choices (the phone is known from wa_id); removeKeyboard is ignored", () => {
    const ask = wire(renderPrompt({ text: "To book, we need your phone number.", requestContact: { label: "Share my phone number" }, choices: nav }, labels));
    expect(ask).toHaveLength(1);
    expect(buttonsOf(ask[0]).map((b) => b.title)).toEqual(["« Back", "Menu"]);
    expect(wire(renderPrompt({ text: "No problem.", removeKeyboard: true }, labels))).toEqual([{ type: "text", text: { body: "No problem." } }]);
    expect(renderPrompt({ text: "   " }, labels)).toEqual([]);
  });
});

describe("renderPrompt: long texts", () => {
  const paragraph = (n: number, length: number) => `${String(n).padStart(3, "0")} ${"x".repeat(length - 4)}`;

  it("splits a long text without choices into messages of at most 4096 characters at paragraph breaks", () => {
    const text = Array.from({ length: 5 }, (_, i) => paragraph(i, 2000)).join("\n\n");
    const messages = wire(renderPrompt({ text }, labels));
    expect(messages.map((m) => m.text.body.length)).toEqual([4002, 4002, 2000]);
    expect(messages.map((m) => m.text.body).join("\n\n")).toBe(text);
  });

  it("keeps the end of a long text with the buttons and sends the rest first", () => {
    const text = `${paragraph(1, 3000)}\n\n${paragraph(2, 900)}`;
    const messages = wire(renderPrompt({ text, choices: nav }, labels));
    expect(messages.map((m) => m.type)).toEqual(["text", "interactive"]);
    expect(messages[0].text.body).toBe(paragraph(1, 3000));
    expect(messages[1].interactive.body.text).toBe(paragraph(2, 900));
    expectWithinLimits(renderPrompt({ text: "y".repeat(9000), choices: nav }, labels));
  });
});

describe("text helpers", () => {
  it.each([
    { text: "Anyone available", max: 20, out: "Anyone available" },
    { text: "Choose another time please", max: 20, out: "Choose another time…" },
    { text: "ab😀cd", max: 4, out: "ab…" },
    { text: "abc😀d", max: 5, out: "abc…" },
  ])("shorten($text, $max) = $out", ({ text, max, out }) => {
    expect(shorten(text, max)).toBe(out);
    expect(shorten(text, max).length).toBeLessThanOrEqual(max);
  });

  it("splits at line or word breaks, else hard, never inside a surrogate pair", () => {
    expect(splitText("aaaa bbbb cccc", 9)).toEqual(["aaaa bbbb", "cccc"]);
    expect(splitText("aaaa\nbbbb cccc", 9)).toEqual(["aaaa\nbbbb", "cccc"]);
    expect(splitText("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
    expect(splitText("abc😀def", 4)).toEqual(["abc", "😀de", "f"]);
    expect(splitText("", 10)).toEqual([""]);
  });

  it("splits for an interactive message at the last paragraph that fits", () => {
    expect(splitForInteractive("short", 10)).toEqual({ lead: [], body: "short" });
    expect(splitForInteractive("first part\n\nthe question?", 16)).toEqual({ lead: ["first part"], body: "the question?" });
  });

  it("numbers repeated titles", () => {
    expect(uniqueTitles(["Anna", "Anna", "Anna"], 20)).toEqual(["Anna", "Anna (2)", "Anna (3)"]);
    expect(uniqueTitles(["  ", "a\nb"], 20)).toEqual(["…", "a b"]);
  });

  it("refuses ids over the limit instead of sending what WhatsApp would refuse", () => {
    expect(() => renderPrompt({ text: "x", choices: [{ id: "x".repeat(257), label: "a" }] }, labels)).toThrow(/1 to 256/);
    expect(() => renderPrompt({ text: "x", choices: times(3).concat({ id: "y".repeat(201), label: "b" }) }, labels)).toThrow(/1 to 200/);
  });
});
