import { describe, expect, it } from "vitest";
import { activityViolations, renderActivities } from "./render.js";

const choices = (n: number, prefix = "Option") => Array.from({ length: n }, (_, i) => ({ id: `s:1:t:${i}`, label: `${prefix} ${i + 1}` }));

describe("renderActivities", () => {
  it("puts choices as messageBack suggested actions on the last message", () => {
    const out = renderActivities([{ text: "Hello" }, { text: "Pick one", choices: choices(2) }]);
    expect(out.map((a) => a.text)).toEqual(["Hello", "Pick one"]);
    expect(out[0]!.suggestedActions).toBeUndefined();
    expect(out[1]!.suggestedActions!.actions[0]).toEqual({ type: "messageBack", title: "Option 1", displayText: "Option 1", text: "s:1:t:0", value: { choiceId: "s:1:t:0" } });
    expect(out[1]!.inputHint).toBe("expectingInput");
  });

  it("numbers earlier prompts and their buttons when several prompts have choices; one Menu button", () => {
    const menu = { id: "g:menu", label: "Menu", nav: true };
    const out = renderActivities([
      { text: "Haircut, Monday", choices: [{ id: "b:r:1", label: "Reschedule" }, menu] },
      { text: "Colour, Tuesday", choices: [{ id: "b:r:2", label: "Reschedule" }, menu] },
    ]);
    expect(out[0]!.text).toBe("1. Haircut, Monday");
    expect(out[1]!.suggestedActions!.actions.map((a) => a.title)).toEqual(["1. Reschedule", "Menu", "Reschedule"]);
    expect(out.flatMap((a) => activityViolations(a))).toEqual([]);
  });

  it("uses hero cards of 6 buttons where the channel shows fewer suggested actions (Teams: 3)", () => {
    const [teams] = renderActivities([{ text: "Pick", choices: choices(8) }], "msteams");
    expect(teams!.suggestedActions).toBeUndefined();
    expect(teams!.attachments!.map((c) => c.content.buttons.length)).toEqual([6, 2]);
    expect(activityViolations(teams, "msteams")).toEqual([]);
    const [small] = renderActivities([{ text: "Pick", choices: choices(3) }], "msteams");
    expect(small!.suggestedActions!.actions).toHaveLength(3);
  });

  it("asks the widget for a phone field on a contact request, shortens labels and splits long texts", () => {
    const [ask] = renderActivities([{ text: "Your phone?", requestContact: { label: "Share" } }]);
    expect(ask!.channelData).toEqual({ chairside: { input: "tel" } });
    const [long] = renderActivities([{ text: "x", choices: [{ id: "g:x", label: "y".repeat(60) }] }]);
    expect([...long!.suggestedActions!.actions[0]!.title]).toHaveLength(40);
    expect(renderActivities([{ text: "word ".repeat(4000) }]).length).toBe(2);
  });

  it("activityViolations catches what breaks the limits", () => {
    expect(activityViolations({ type: "message", text: "x", suggestedActions: { actions: choices(101).map((c) => ({ type: "imBack", title: c.label, value: c.id })) } })).toContain("101 suggested actions");
    expect(activityViolations({ type: "typing" })).toEqual(["not a message activity"]);
  });
});
