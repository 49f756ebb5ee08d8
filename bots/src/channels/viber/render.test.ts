import { describe, expect, it } from "vitest";
import type { Choice, Prompt } from "../../conversation/types.js";
import {
  combinePrompts,
  COLUMNS,
  escapeButtonText,
  MAX_BUTTON_TEXT,
  MAX_BUTTONS,
  MAX_CHOICES,
  MAX_ROWS,
  MAX_TEXT,
  MAX_TRACKING_DATA,
  PAGE_PREFIX,
  parsePages,
  renderPage,
  renderPrompt,
  renderPrompts,
  SHARE_PHONE_BODY,
  type ViberButton,
  type ViberTextMessage,
} from "./render.js";

const labels = { more: "More…" };
const nav: Choice[] = [
  { id: "s:3:back", label: "« Back", nav: true },
  { id: "g:menu", label: "Menu", nav: true },
];
const times = (n: number): Choice[] =>
  Array.from({ length: n }, (_, i) => ({ id: `s:3:t:${(1_000_000 + i).toString(36)}`, label: `${String(9 + Math.floor(i / 4)).padStart(2, "0")}:${String((i % 4) * 15).padStart(2, "0")}` }));

const buttons = (m: ViberTextMessage) => m.keyboard?.Buttons ?? [];
const texts = (m: ViberTextMessage) => buttons(m).map((b) => b.Text);
/** The keyboard as rows, as Viber lays out the 6-column grid. */
function gridRows(list: ViberButton[]): string[][] {
  const out: string[][] = [];
  let used = COLUMNS;
  for (const b of list) {
    if (used + b.Columns > COLUMNS) {
      out.push([]);
      used = 0;
    }
    out.at(-1)!.push(b.Text);
    used += b.Columns;
  }
  return out;
}

/** Every limit of one rendered message. */
function expectWithinLimits(m: ViberTextMessage) {
  expect(m.type).toBe("text");
  expect(m.text.length).toBeGreaterThan(0);
  expect(m.text.length).toBeLessThanOrEqual(MAX_TEXT);
  if (m.tracking_data !== undefined) expect(m.tracking_data.length).toBeLessThanOrEqual(MAX_TRACKING_DATA);
  if (!m.keyboard) return;
  expect(m.keyboard.Type).toBe("keyboard");
  expect(m.keyboard.Buttons.length).toBeGreaterThan(0);
  expect(m.keyboard.Buttons.length).toBeLessThanOrEqual(MAX_BUTTONS);
  expect(gridRows(m.keyboard.Buttons).length).toBeLessThanOrEqual(MAX_ROWS);
  for (const b of m.keyboard.Buttons) {
    expect(b.Columns).toBeGreaterThanOrEqual(1);
    expect(b.Columns).toBeLessThanOrEqual(COLUMNS);
    expect(b.Rows).toBe(1);
    expect(b.ActionBody.length).toBeGreaterThan(0);
    expect([...b.Text].length).toBeLessThanOrEqual(MAX_BUTTON_TEXT);
  }
  // Rows are full: a button never shares a row with the next group.
  let used = 0;
  for (const b of m.keyboard.Buttons) used = (used + b.Columns) % COLUMNS;
  expect(used).toBe(0);
}

describe("renderPrompt", () => {
  it("renders times 3 to a row and navigation on its own row, as silent reply buttons carrying the choice id", () => {
    const m = renderPrompt({ text: "Free times", choices: [...times(5), ...nav] }, labels);
    expect(gridRows(buttons(m))).toEqual([["09:00", "09:15", "09:30"], ["09:45", "10:00"], ["« Back", "Menu"]]);
    expect(buttons(m)[0]).toEqual({ Columns: 2, Rows: 1, ActionType: "reply", ActionBody: "s:3:t:lfls", Text: "09:00", Silent: true });
    expect(m.keyboard?.DefaultHeight).toBe(false);
    expect(m.tracking_data).toBeUndefined();
    expectWithinLimits(m);
  });

  it("puts long labels one to a row and middling ones two", () => {
    const long = renderPrompt({ text: "Service?", choices: [{ id: "s:1:svc:a", label: "Women's haircut · 60 min · DKK 450.00" }, { id: "s:1:svc:b", label: "Colour · 90 min · DKK 900.00" }] }, labels);
    expect(buttons(long).map((b) => b.Columns)).toEqual([6, 6]);
    const middling = renderPrompt({ text: "Who?", choices: [{ id: "a", label: "Anyone available" }, { id: "b", label: "Ana" }, { id: "c", label: "Bo" }] }, labels);
    expect(buttons(middling).map((b) => b.Columns)).toEqual([3, 3, 6]);
  });

  it("asks for the phone with a full-width share-phone button first, then the other choices", () => {
    const m = renderPrompt({ text: "Phone?", requestContact: { label: "Share my phone number" }, choices: nav }, labels);
    expect(buttons(m)).toEqual([
      { Columns: 6, Rows: 1, ActionType: "share-phone", ActionBody: SHARE_PHONE_BODY, Text: "Share my phone number" },
      { Columns: 3, Rows: 1, ActionType: "reply", ActionBody: "s:3:back", Text: "« Back", Silent: true },
      { Columns: 3, Rows: 1, ActionType: "reply", ActionBody: "g:menu", Text: "Menu", Silent: true },
    ]);
    expectWithinLimits(m);
  });

  it("sends plain text without a keyboard (also for removeKeyboard: Viber has nothing to remove)", () => {
    expect(renderPrompt({ text: "Hi" }, labels)).toEqual({ type: "text", text: "Hi" });
    expect(renderPrompt({ text: "Thanks!", removeKeyboard: true }, labels)).toEqual({ type: "text", text: "Thanks!" });
  });

  it("escapes labels (Viber reads HTML in button Text) and shortens long ones", () => {
    const m = renderPrompt({ text: "x", choices: [{ id: "a", label: "<b>Tom & Jerry</b>" }, { id: "b", label: "y".repeat(300) }] }, labels);
    expect(texts(m)[0]).toBe("&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;");
    expect([...texts(m)[1]!].length).toBe(40);
    expect(texts(m)[1]!.endsWith("…")).toBe(true);
    expect(escapeButtonText("a<b>&c")).toBe("a&lt;b&gt;&amp;c");
  });

  const huge = Array.from({ length: 48 }, (_, i) => ({ id: `s:1:svc:${"x".repeat(50)}${i}`, label: "L".repeat(60) }));
  it.each([
    ["no choices", { text: "x".repeat(9000) }, 1],
    ["3 times", { text: "t", choices: times(3) }, 1],
    ["22 times and 2 nav (one full page)", { text: "t", choices: [...times(22), ...nav] }, 1],
    ["23 times and 2 nav (two pages)", { text: "t", choices: [...times(23), ...nav] }, 2],
    ["48 times and 2 nav", { text: "t", choices: [...times(48), ...nav] }, 3],
    ["100 times (cut to 48)", { text: "t", choices: times(100) }, 3],
    ["12 long labels (one page)", { text: "t", choices: Array.from({ length: 12 }, (_, i) => ({ id: `s:1:svc:c${i}`, label: `Service number ${i} · 60 min · DKK 450.00` })) }, 1],
    ["30 long labels", { text: "t", choices: Array.from({ length: 30 }, (_, i) => ({ id: `s:1:svc:${"c".repeat(25)}${i}`, label: `Service number ${i} · 60 min · DKK 450.00` })) }, 3],
    ["48 huge choices (tracking_data cut)", { text: "t", choices: huge }, 4],
    ["contact and 30 times", { text: "t", requestContact: { label: "Share" }, choices: [...times(30), ...nav] }, 2],
  ] satisfies [string, Prompt, number][])("keeps within Viber's limits: %s", (_name, prompt, expectedPages) => {
    const first = renderPrompt(prompt, labels);
    expectWithinLimits(first);
    const pages = parsePages(first.tracking_data);
    expect(pages === null ? 1 : Number(/\((\d+)\/(\d+)\)$/.exec(renderPage(pages, 0).text)?.[2])).toBe(expectedPages);
    if (!pages) return;
    // Every page is within limits, and together the pages show every option that was kept, once.
    const seen: string[] = [];
    for (let p = 0; p < expectedPages; p++) {
      const page = p === 0 ? first : renderPage(pages, p);
      expectWithinLimits(page);
      seen.push(...buttons(page).filter((b) => b.ActionType === "reply" && !b.ActionBody.startsWith(PAGE_PREFIX) && !nav.some((n) => n.id === b.ActionBody)).map((b) => b.ActionBody));
    }
    expect(seen).toEqual(pages.o.map(([id]) => id));
    expect(pages.o.length).toBeLessThanOrEqual(MAX_CHOICES);
  });

  it("cuts options from the end until the paging state fits tracking_data", () => {
    const pages = parsePages(renderPrompt({ text: "t", choices: huge }, labels).tracking_data)!;
    expect(pages.o.length).toBeGreaterThan(20);
    expect(pages.o.length).toBeLessThan(huge.length);
    expect(pages.o.map(([id]) => id)).toEqual(huge.slice(0, pages.o.length).map((c) => c.id));
  });

  it("pages a long list: More… (page:1) next to the navigation on every page, wrapping round at the end", () => {
    const first = renderPrompt({ text: "Sorry, that time was taken.\n\nFree times for Haircut on Tuesday:", choices: [...times(40), ...nav] }, labels);
    expect(gridRows(buttons(first)).at(-1)).toEqual(["More…", "« Back", "Menu"]);
    expect(buttons(first).find((b) => b.Text === "More…")).toMatchObject({ ActionType: "reply", ActionBody: "page:1", Silent: true });
    const pages = parsePages(first.tracking_data)!;
    expect(pages.t).toBe("Free times for Haircut on Tuesday:");
    const second = renderPage(pages, 1);
    expect(second.text).toBe("Free times for Haircut on Tuesday: (2/2)");
    const perPage = buttons(first).length - 3; // More…, « Back, Menu
    expect(buttons(second)[0]?.Text).toBe(times(40)[perPage]!.label);
    expect(buttons(second).find((b) => b.Text === "More…")?.ActionBody).toBe("page:0");
    expect(renderPage(pages, 7).text).toMatch(/\(2\/2\)$/); // out of range wraps round
  });

  it("reads back only its own paging state", () => {
    expect(parsePages(undefined)).toBeNull();
    expect(parsePages("tracking data")).toBeNull();
    expect(parsePages(JSON.stringify({ t: "x" }))).toBeNull();
    expect(parsePages("x".repeat(5000))).toBeNull();
  });
});

describe("combinePrompts (Viber shows only the last keyboard)", () => {
  const booking = (n: number): Prompt => ({
    text: n === 1 ? `Your upcoming bookings:\n\nHaircut ${n}` : `Haircut ${n}`,
    choices: [
      { id: `b:r:${n}`, label: "Reschedule" },
      { id: `b:c:${n}`, label: "Cancel" },
    ],
  });
  const menu: Prompt = { text: "Anything else?", choices: [{ id: "g:book", label: "Book an appointment" }, { id: "g:my", label: "My bookings" }] };

  it("numbers each earlier prompt with buttons and puts all buttons on the last message", () => {
    const out = combinePrompts([booking(1), booking(2), menu]);
    expect(out.map((p) => p.text)).toEqual(["Your upcoming bookings:\n\n1️⃣ Haircut 1", "2️⃣ Haircut 2", "Anything else?"]);
    expect(out[0]?.choices).toBeUndefined();
    expect(out[2]?.choices?.map((c) => `${c.id}=${c.label}`)).toEqual([
      "b:r:1=1️⃣ Reschedule",
      "b:c:1=1️⃣ Cancel",
      "b:r:2=2️⃣ Reschedule",
      "b:c:2=2️⃣ Cancel",
      "g:book=Book an appointment",
      "g:my=My bookings",
    ]);
    const rendered = renderPrompts([booking(1), booking(2), menu], labels);
    expect(rendered.map((m) => Boolean(m.keyboard))).toEqual([false, false, true]);
    expectWithinLimits(rendered[2]!);
  });

  it("moves a single keyboard to the last message without numbering, and leaves a lone last keyboard alone", () => {
    const out = combinePrompts([{ text: "Pick", choices: nav }, { text: "PS" }]);
    expect(out).toEqual([{ text: "Pick" }, { text: "PS", choices: nav }]);
    const alone = [{ text: "No problem.", removeKeyboard: true }, menu];
    expect(combinePrompts(alone)).toEqual(alone);
    expect(combinePrompts([{ text: "a" }, { text: "b" }])).toEqual([{ text: "a" }, { text: "b" }]);
  });

  it("keeps the latest share-phone request", () => {
    const out = combinePrompts([{ text: "Phone?", requestContact: { label: "Share" }, choices: nav }, { text: "Or" }]);
    expect(out[1]).toEqual({ text: "Or", choices: nav, requestContact: { label: "Share" } });
  });
});
