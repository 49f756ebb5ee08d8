/**
 * The contract test suite every channel passes. A channel's test file calls it once:
 *
 *   // bots/src/channels/<name>/<name>.contract.test.ts
 *   import { describeChannelContract } from "../contract.js";
 *   describeChannelContract("WhatsApp", {
 *     plugin: whatsappPlugin,
 *     credentials: { ...valid credentials with the secret the signer uses... },
 *     sign: (body) => ({ "x-hub-signature-256": `sha256=${hmac(body)}` }),   // headers that make `body` valid
 *     signatureCoversBody: true,                                            // false when the secret does not depend on the body (Telegram)
 *     samples: [{ name: "text", body: readSample("text.json"), kinds: ["text"] },
 *               { name: "statuses", body: readSample("status.json"), kinds: [], statuses: 2 }],
 *     unsupportedSamples: [{ name: "sticker", body: readSample("sticker.json") }],
 *     render: {
 *       start: async () => { const fake = await FakeGraph.start(); return {
 *         credentials: { ...pointing at fake... }, chatId: "4520123456",
 *         requests: () => fake.sentMessages(), reset: () => fake.clear(), close: () => fake.close() }; },
 *       violations: (request) => [...],   // what in one outgoing request breaks the provider's documented limits; [] when nothing
 *     },
 *   });
 *
 * What it checks, against the plugin's real webhook handler on 127.0.0.1 (mounted as the server
 * does, at /webhooks/<name>/<salon>) with a recording `deliver`:
 *   (a) each correctly signed sample answers 200 and delivers the expected kinds of events
 *       (`kinds`: the event kinds of its messages in order; `statuses`, `notices`: how many);
 *   (b) a missing signature, a wrong one (each header value altered) and, when the signature
 *       covers the body, a body changed after signing: 401, and `deliver` is never called;
 *   (c) malformed JSON (signed): 400; a body over 1 MB (signed): 413 or 400; nothing delivered,
 *       and the handler keeps serving;
 *   (d) render: prompts with 1, 3, 4, 10, 11 and 40 choices of 30-character labels (alone and with
 *       Back/Menu navigation), a contact request, a keyboard removal and a 5,000-character text are
 *       sent through `plugin.createChannel` to the channel's fake API; every outgoing request the
 *       fake saw passes `violations` (the channel's documented limits) and there is at least one;
 *   (e) each of `unsupportedSamples` (stickers, voice, images, locations) parses to events of kind
 *       "unsupported" only (the conversation answers those politely with the menu);
 *   and `channel.parse` never throws on garbage.
 * `sample.method`, `sample.query` and `sample.headers` cover provider specifics (default POST, no
 * query, `content-type: application/json`).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Choice, ConversationEvent, Logger, Prompt } from "../conversation/types.js";
import type { ChannelPlugin, WebhookDelivery } from "./plugin.js";

/** One real provider payload and what it must deliver. */
export interface ContractSample {
  name: string;
  /** The raw body, exactly as the provider sends it. */
  body: string;
  /** Event kinds of the delivered messages, in order (default: not checked, but at least one message). */
  kinds?: ConversationEvent["kind"][];
  /** How many delivery statuses it reports (default 0). */
  statuses?: number;
  /** How many notices (subscriptions) it reports (default 0). */
  notices?: number;
  method?: "POST" | "GET";
  /** Query string without "?", e.g. "sig=..." for providers that sign in the URL. */
  query?: string;
  /** Extra headers besides the signature (default content-type: application/json). */
  headers?: Record<string, string>;
}

/** The channel's fake provider API, started for the render checks. */
export interface RenderHarness<Credentials> {
  /** Credentials that point the channel at the fake. */
  credentials: Credentials;
  /** A chat the fake accepts messages to. */
  chatId: string;
  /** Passed to the channel as its fetch (optional: the fake may be a real HTTP server on 127.0.0.1). */
  fetch?: typeof fetch;
  /** The outgoing requests (their JSON bodies, or whatever `violations` reads) since the last `reset`. */
  requests(): unknown[];
  /** Forgets the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

/** What a channel's test file gives the suite. */
export interface ChannelContractSetup<Credentials> {
  plugin: ChannelPlugin<Credentials>;
  /** Valid credentials (raw; the suite validates them with the plugin's schema) holding the secret `sign` uses. */
  credentials: unknown;
  /** The headers that make `body` a correctly signed request (computed as the provider does). */
  sign(body: Buffer, query?: string): Record<string, string>;
  /** True when the signature is over the body (WhatsApp, Viber); false for a static secret (Telegram). */
  signatureCoversBody: boolean;
  /** Real payload samples from the channel's samples/ folder. */
  samples: ContractSample[];
  /** Samples of message types the conversation does not handle. */
  unsupportedSamples: ContractSample[];
  render: {
    start(): Promise<RenderHarness<Credentials>>;
    /** Descriptions of what in one outgoing request breaks the provider's documented limits; [] when nothing. */
    violations(request: unknown): string[];
  };
}

/** The prompt sizes (number of choices) the render check sends. */
export const RENDER_CHOICE_COUNTS = [1, 3, 4, 10, 11, 40] as const;
/** Label length of the render check's choices. */
export const RENDER_LABEL_LENGTH = 30;

/** The prompts of the render check: names and prompts. */
export function renderPrompts(): { name: string; prompt: Prompt }[] {
  const options = (n: number): Choice[] =>
    Array.from({ length: n }, (_, i) => ({ id: `s:12:t:${i.toString(36).padStart(4, "0")}`, label: `Option ${String(i + 1).padStart(2, "0")} `.padEnd(RENDER_LABEL_LENGTH, "x") }));
  const nav: Choice[] = [
    { id: "s:12:back", label: "« Back", nav: true },
    { id: "g:menu", label: "Menu", nav: true },
  ];
  return [
    ...RENDER_CHOICE_COUNTS.map((n) => ({ name: `${n} choices`, prompt: { text: `Pick one of ${n}`, choices: options(n) } })),
    ...RENDER_CHOICE_COUNTS.map((n) => ({ name: `${n} choices with Back and Menu`, prompt: { text: `Pick one of ${n}`, choices: [...options(n), ...nav] } })),
    { name: "a contact request", prompt: { text: "To book, we need your phone number.", requestContact: { label: "Share my phone number" }, choices: nav } },
    { name: "a keyboard removal", prompt: { text: "Thanks, Ada!", removeKeyboard: true } },
    { name: "a 5,000-character text", prompt: { text: "Long text. ".repeat(455).slice(0, 5000) } },
  ];
}

/** A logger that keeps its lines (the suite runs inside vitest; nothing is printed). */
function quietLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (msg: string) => void lines.push(msg);
  return { lines, debug: keep, info: keep, warn: keep, error: keep };
}

/** Alters the last character of each value (a wrong signature of the same shape). */
function altered(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, `${v.slice(0, -1)}${v.endsWith("a") ? "b" : "a"}`]));
}

/** Registers the contract tests of one channel (call at the top level of a test file). */
export function describeChannelContract<Credentials>(name: string, setup: ChannelContractSetup<Credentials>): void {
  describe(`${name}: the channel contract`, () => {
    const delivered: WebhookDelivery[] = [];
    const log = quietLogger();
    let server: http.Server;
    let url: string;
    const credentials = setup.plugin.credentialsSchema.parse(setup.credentials);

    beforeAll(async () => {
      const app = express();
      app.all(
        "/webhooks/:channel/:slug",
        setup.plugin.createWebhookHandler({
          credentials,
          log,
          deliver: async (d) => {
            delivered.push(d);
          },
          welcome: async () => ({ text: "Hi! Welcome.", choices: [{ id: "g:book", label: "Book an appointment" }] }),
        }),
      );
      server = http.createServer(app);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/${setup.plugin.name}/contract`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    });
    beforeEach(() => {
      delivered.length = 0;
    });

    const post = (body: string | Buffer, sample: Partial<ContractSample>, signature: Record<string, string>) =>
      fetch(`${url}${sample.query ? `?${sample.query}` : ""}`, {
        method: sample.method ?? "POST",
        headers: { "content-type": "application/json", ...sample.headers, ...signature },
        ...(sample.method === "GET" ? {} : { body: typeof body === "string" ? body : new Uint8Array(body) }),
      });
    const signed = (body: string | Buffer, sample: Partial<ContractSample> = {}) =>
      post(body, sample, setup.sign(Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8"), sample.query));
    const first = () => {
      const sample = setup.samples[0];
      if (!sample) throw new Error(`${name}: the contract needs at least one sample`);
      return sample;
    };

    describe("(a) a correctly signed sample parses to the expected events", () => {
      it.each(setup.samples.map((s) => [s.name, s] as const))("%s", async (_name, sample) => {
        const res = await signed(sample.body, sample);
        expect(res.status, await res.clone().text()).toBe(200);
        const messages = delivered.flatMap((d) => d.messages);
        if (sample.kinds) expect(messages.map((m) => m.event.kind)).toEqual(sample.kinds);
        else expect(messages.length).toBeGreaterThan(0);
        expect(delivered.flatMap((d) => d.statuses)).toHaveLength(sample.statuses ?? 0);
        expect(delivered.flatMap((d) => d.notices)).toHaveLength(sample.notices ?? 0);
        for (const m of messages) {
          expect(m.eventId, "every message carries the provider's id for de-duplication").toMatch(/\S/);
          expect(m.chatId).toMatch(/\S/);
          expect(m.userId).toMatch(/\S/);
        }
      });
    });

    describe("(b) verification comes first", () => {
      it("refuses a missing signature with 401 and delivers nothing", async () => {
        const sample = first();
        const res = await post(sample.body, sample, {});
        expect(res.status).toBe(401);
        expect(delivered).toEqual([]);
      });

      it("refuses a wrong signature with 401 and delivers nothing", async () => {
        const sample = first();
        const res = await post(sample.body, sample, altered(setup.sign(Buffer.from(sample.body, "utf8"), sample.query)));
        expect(res.status).toBe(401);
        expect(delivered).toEqual([]);
      });

      // Registered only where it applies (a static secret does not depend on the body).
      if (setup.signatureCoversBody) {
        it("refuses a body changed after signing with 401", async () => {
          const sample = first();
          const signature = setup.sign(Buffer.from(sample.body, "utf8"), sample.query);
          const res = await post(sample.body.replace(/}\s*$/, ', "injected": true}'), sample, signature);
          expect(res.status).toBe(401);
          expect(delivered).toEqual([]);
        });
      }
    });

    describe("(c) bad bodies are refused without crashing", () => {
      it("answers malformed JSON with 400", async () => {
        const res = await signed('{"update_id": 1, "message": ', { ...first(), method: "POST" });
        expect(res.status).toBe(400);
        expect(delivered).toEqual([]);
      });

      it("answers a body over 1 MB with 413 or 400, then keeps serving", async () => {
        const huge = JSON.stringify({ padding: "x".repeat(1024 * 1024 + 1024) });
        const res = await signed(huge, { ...first(), method: "POST" });
        expect([400, 413]).toContain(res.status);
        expect(delivered).toEqual([]);
        const again = await signed(first().body, first());
        expect(again.status).toBe(200);
      });

      it("parse never throws on garbage", () => {
        const channel = setup.plugin.createChannel({ credentials, log });
        for (const garbage of [null, undefined, 42, "text", [], {}, { message: null }, { entry: "x" }]) {
          expect(() => channel.parse(garbage), JSON.stringify(garbage) ?? "undefined").not.toThrow();
          expect(channel.parse(garbage)).toEqual([]);
        }
      });
    });

    describe("(d) rendering stays within the channel's documented limits", () => {
      let harness: RenderHarness<Credentials>;
      beforeAll(async () => {
        harness = await setup.render.start();
      });
      afterAll(async () => harness?.close());

      it.each(renderPrompts().map((p) => [p.name, p.prompt] as const))("%s", async (_name, prompt) => {
        const channel = setup.plugin.createChannel({
          credentials: setup.plugin.credentialsSchema.parse(harness.credentials),
          log,
          ...(harness.fetch ? { fetch: harness.fetch } : {}),
        });
        harness.reset();
        await channel.send(harness.chatId, [prompt]);
        const requests = harness.requests();
        expect(requests.length).toBeGreaterThan(0);
        expect(requests.flatMap((r) => setup.render.violations(r))).toEqual([]);
      });
    });

    describe("(e) unknown message types parse to unsupported", () => {
      it.each(setup.unsupportedSamples.map((s) => [s.name, s] as const))("%s", async (_name, sample) => {
        const res = await signed(sample.body, sample);
        expect(res.status).toBe(200);
        const kinds = delivered.flatMap((d) => d.messages.map((m) => m.event.kind));
        expect(kinds.length).toBeGreaterThan(0);
        expect(new Set(kinds)).toEqual(new Set(["unsupported"]));
      });
    });
  });
}
