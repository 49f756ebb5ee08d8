/**
 * A fake messaging provider on 127.0.0.1 for the delivery tests and the benchmark: POST /messages
 * with { outboxId, recipient, text, worker } answers { id } (or 500 while told to fail). It counts
 * accepted messages per outbox id, so a duplicate is visible, and can report a "sent" status that
 * carries the outbox id back, as WhatsApp's status webhook does with `biz_opaque_callback_data`.
 * A message counts as accepted when the request arrives, before the (optional) delay: a worker
 * killed while waiting for the answer has still handed the message over.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { DeliveryError, type Sender, type SenderDirectory } from "@chairside/core";
import { renderNotification } from "../render.js";

/** The channel name the fake's senders use (ClientIdentity.channel of test clients). */
export const FAKE_CHANNEL = "fake";

/** A running fake provider. */
export class FakeProvider {
  /** Accepted messages per outbox id. */
  readonly accepted = new Map<string, number>();
  /** Accepted messages per worker name. */
  readonly byWorker = new Map<string, number>();
  /** Requests answered with 500. */
  refused = 0;
  /** Status reports whose handler threw (the test should look at these). */
  readonly reportErrors: unknown[] = [];
  private readonly reports = new Set<Promise<void>>();
  private failRemaining = 0;
  private nextId = 1;
  private held: (() => void)[] | null = null;

  private constructor(
    private readonly server: http.Server,
    /** Base URL, http://127.0.0.1:<port>. */
    readonly url: string,
    private readonly options: FakeProviderOptions,
  ) {}

  /** Starts a fake on a free port. */
  static async start(options: FakeProviderOptions = {}): Promise<FakeProvider> {
    let fake: FakeProvider | undefined;
    const server = http.createServer((req, res) => void fake?.handle(req, res));
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    fake = new FakeProvider(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, options);
    return fake;
  }

  /** The next `n` requests get 500 Internal Server Error (nothing is accepted). */
  failNext(n: number): void {
    this.failRemaining = n;
  }

  /**
   * From now on, accepted messages get no answer until `release()`: the sender is left waiting
   * after the provider took the message (the crash window of a real provider call).
   */
  hold(): void {
    this.held ??= [];
  }

  /** Requests accepted and waiting for their answer because of `hold()`. */
  get heldCount(): number {
    return this.held?.length ?? 0;
  }

  /** Answers the held requests and stops holding. */
  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const answer of held) answer();
  }

  /** Outbox ids accepted more than once. */
  get duplicates(): string[] {
    return [...this.accepted].filter(([, n]) => n > 1).map(([id]) => id);
  }

  /** Resolves once `predicate` holds (checked every 20 ms); rejects after `timeoutMs`. */
  async waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what = "the condition"): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!(await predicate())) {
      if (Date.now() > until) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (accepted ${this.accepted.size})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Stops the server after the status reports already under way have been handled. */
  async close(): Promise<void> {
    while (this.reports.size > 0) await Promise.all([...this.reports]);
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== "POST" || req.url !== "/messages") {
      res.writeHead(404).end();
      return;
    }
    if (this.failRemaining > 0) {
      this.failRemaining--;
      this.refused++;
      res.writeHead(500, { "content-type": "application/json" }).end('{"error":"internal"}');
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { outboxId: string; worker?: string };
    this.accepted.set(body.outboxId, (this.accepted.get(body.outboxId) ?? 0) + 1);
    const worker = body.worker ?? "?";
    this.byWorker.set(worker, (this.byWorker.get(worker) ?? 0) + 1);
    const id = `fake-${this.nextId++}`;
    if (this.options.onAccepted) {
      const handler = this.options.onAccepted;
      const report: Promise<void> = new Promise<void>((r) => setTimeout(r, this.options.statusDelayMs ?? 20))
        .then(() => handler({ outboxId: body.outboxId, providerMessageId: id }))
        .catch((e: unknown) => void this.reportErrors.push(e))
        .finally(() => this.reports.delete(report));
      this.reports.add(report);
    }
    if (this.options.delayMs) await new Promise((r) => setTimeout(r, this.options.delayMs));
    if (this.held) await new Promise<void>((r) => this.held!.push(r));
    if (!res.destroyed) res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id }));
  }
}

/** How the fake behaves. */
export interface FakeProviderOptions {
  /** Wait this long before answering an accepted message, ms. */
  delayMs?: number;
  /** Called after each accepted message (a status webhook with our id): apply it to the outbox. */
  onAccepted?(accepted: { outboxId: string; providerMessageId: string }): void | Promise<void>;
  /** How long after acceptance the status report comes, ms. Default 20. */
  statusDelayMs?: number;
}

/**
 * Senders that post to a fake provider on channel "fake" for every salon; `worker` names the
 * sending process. 5xx → temporary failure; other 4xx → permanent.
 */
export function fakeProviderSenders(url: string, worker: string, now: () => Date): SenderDirectory {
  const sender: Sender = {
    channel: FAKE_CHANNEL,
    async send(message, { signal }) {
      const text = renderNotification(message, now()).text;
      const res = await fetch(`${url}/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ outboxId: message.outboxId, recipient: message.recipient, text, worker }),
        signal,
      });
      if (res.status >= 500) throw new Error(`HTTP ${res.status}`);
      if (!res.ok) throw new DeliveryError(`HTTP ${res.status}`, true);
      return { providerMessageId: ((await res.json()) as { id: string }).id };
    },
  };
  return { get: (_tenantId, channel) => (channel === FAKE_CHANNEL ? sender : undefined), channelsOf: () => [FAKE_CHANNEL] };
}
