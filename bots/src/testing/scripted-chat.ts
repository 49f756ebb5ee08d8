/**
 * A scripted chat for conversation tests: sends events through a real engine and presses buttons
 * of the prompts it got back, like a client would. Test helper only.
 */
import type { TenantView } from "@chairside/core";
import type { ConversationEngine } from "../conversation/engine.js";
import type { Choice, ConversationEvent, Logger, Profile, Prompt } from "../conversation/types.js";

/** A logger that keeps what it was told. */
export class MemoryLogger implements Logger {
  readonly lines: { level: string; msg: string; fields?: object }[] = [];
  debug(msg: string, fields?: object) { this.lines.push({ level: "debug", msg, fields }); }
  info(msg: string, fields?: object) { this.lines.push({ level: "info", msg, fields }); }
  warn(msg: string, fields?: object) { this.lines.push({ level: "warn", msg, fields }); }
  error(msg: string, fields?: object) { this.lines.push({ level: "error", msg, fields }); }
  child(_scope: string): MemoryLogger { return this; }
}

/** One client's chat with the bot. `last` holds the prompts of the latest reply. */
export class ScriptedChat {
  last: Prompt[] = [];
  private seq = 0;
  private readonly run = Math.random().toString(36).slice(2, 8);

  constructor(
    private readonly engine: ConversationEngine,
    private readonly tenant: TenantView,
    readonly chatId: string,
    readonly profile: Profile = { name: "Ada", languageCode: "en" },
  ) {}

  /** Sends an event; returns (and remembers) the reply. */
  async send(event: ConversationEvent, eventId: string = `${this.chatId}-${this.run}-${++this.seq}`): Promise<Prompt[]> {
    const reply = await this.engine.handle({
      tenant: this.tenant,
      channel: "test",
      chatId: this.chatId,
      userId: this.chatId,
      eventId,
      profile: this.profile,
      event,
    });
    this.last = reply ?? [];
    return this.last;
  }

  start() { return this.send({ kind: "start" }); }
  text(text: string) { return this.send({ kind: "text", text }); }

  /** The newest choice whose label equals (string) or matches (predicate) among `prompts`. */
  find(match: string | ((c: Choice) => boolean), prompts: Prompt[] = this.last): Choice {
    const test = typeof match === "string" ? (c: Choice) => c.label === match : match;
    for (const prompt of [...prompts].reverse()) {
      const choice = prompt.choices?.find(test);
      if (choice) return choice;
    }
    throw new Error(`No choice ${String(match)} in: ${JSON.stringify(prompts.map((p) => [p.text, p.choices?.map((c) => c.label)]))}`);
  }

  /** Presses a button of the latest reply (or of `prompts`, to press an old one). */
  press(match: string | ((c: Choice) => boolean), prompts: Prompt[] = this.last) {
    return this.send({ kind: "choice", id: this.find(match, prompts).id });
  }

  /** All texts of the latest reply, joined. */
  get transcript(): string {
    return this.last.map((p) => p.text).join("\n---\n");
  }
}
