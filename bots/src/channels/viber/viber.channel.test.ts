import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../log.js";
import { FakeViber } from "../../testing/fake-viber.js";
import { callViber, ViberApiError } from "./api.js";
import { viberCredentialsSchema, type ViberCredentials } from "./credentials.js";
import { parsePages } from "./render.js";
import { ViberChannel } from "./viber.channel.js";

const TOKEN = "4a3b2c1d0e9f8a7b-6c5d4e3f2a1b0c9d-test-token-for-the-fake";
const lines: string[] = [];
const log = createLogger({ level: "debug", sinks: { stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) } });

describe("ViberChannel against the fake Viber API", () => {
  let fake: FakeViber;
  let credentials: ViberCredentials;

  beforeAll(async () => {
    fake = await FakeViber.start({ authToken: TOKEN });
    credentials = viberCredentialsSchema.parse({ authToken: TOKEN, apiUrl: `${fake.apiUrl}/`, senderName: "Chairside Demo Salon with a very long name", locale: "da-DK" });
    fake.setUser("u1", { subscribed: true });
    fake.setUser("u2", { subscribed: false });
  });
  afterAll(async () => fake.close());

  it("sends each prompt as a text message with the auth header, sender name ≤ 28 and min_api_version; the batch's keyboard on the last", async () => {
    const channel = new ViberChannel(credentials, log);
    const tokens = await channel.send("u1", [
      { text: "No problem, you can share your number later.", removeKeyboard: true },
      { text: "What would you like to do?", choices: [{ id: "g:book", label: "Book an appointment" }, { id: "g:my", label: "My bookings" }] },
    ]);
    const sent = fake.messagesTo("u1");
    expect(sent.map((m) => m.text)).toEqual(["No problem, you can share your number later.", "What would you like to do?"]);
    expect(sent[0]?.keyboard).toBeUndefined();
    expect(sent[1]?.keyboard?.Buttons.map((b) => b.ActionBody)).toEqual(["g:book", "g:my"]);
    expect(sent[1]?.sender.name).toBe("Chairside Demo Salon with a…");
    expect([...sent[1]!.sender.name].length).toBe(28);
    expect(sent[1]?.minApiVersion).toBe(7);
    // The tokens are Viber's exactly (64-bit, beyond 2^53), as strings.
    expect(tokens).toEqual(sent.map((m) => m.token));
    expect(BigInt(tokens[0]!)).toBeGreaterThan(2n ** 53n);
    expect(fake.callsOf("send_message")[0]?.body).toMatchObject({ receiver: "u1", type: "text", min_api_version: 7 });
  });

  it("labels the paging button in the salon's language and sends page n on a More… press", async () => {
    const channel = new ViberChannel(credentials, log);
    const times = Array.from({ length: 30 }, (_, i) => ({ id: `s:5:t:${i}`, label: `${10 + i}:00` }));
    const mark = fake.lastSeq();
    await channel.send("u1", [{ text: "Ledige tider:", choices: times }]);
    const first = fake.messagesTo("u1", mark)[0]!;
    const more = first.keyboard!.Buttons.find((b) => b.Text === "Flere…")!;
    expect(more.ActionBody).toBe("page:1");
    await channel.sendPage({ userId: "u1", page: 1, pages: parsePages(first.trackingData)!, eventId: "1" });
    const second = fake.messagesTo("u1", mark)[1]!;
    expect(second.text).toBe("Ledige tider: (2/2)");
    expect(second.keyboard!.Buttons[0]?.ActionBody).toBe(`s:5:t:${first.keyboard!.Buttons.length - 1}`);
  });

  it("throws Viber's status and message on a refusal, never the token", async () => {
    const wrong = new ViberChannel({ ...credentials, authToken: "wrong-token-0123456789" }, log);
    const refusal = await wrong.send("u1", [{ text: "Hi" }]).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ViberApiError);
    expect(refusal).toMatchObject({ method: "send_message", status: 2, statusMessage: "invalidAuthToken" });
    expect(String((refusal as Error).message)).toBe("Viber send_message failed: status 2 (invalidAuthToken)");

    const channel = new ViberChannel(credentials, log);
    await expect(channel.send("u2", [{ text: "Hi" }])).rejects.toMatchObject({ status: 6, statusMessage: "receiverNotSubscribed" });
    await expect(channel.send("nobody", [{ text: "Hi" }])).rejects.toMatchObject({ status: 5 });
    expect(lines.join("\n")).not.toContain(TOKEN);
  });

  it("reports an HTTP failure and a body that is not Viber's as errors", async () => {
    const notFound = callViber({ ...credentials, apiUrl: `${fake.apiUrl}/nope` }, "send_message", {});
    await expect(notFound).rejects.toMatchObject({ status: -1, statusMessage: "HTTP 404" });
    const garbage: typeof fetch = async () => new Response("<html>", { status: 200 });
    await expect(callViber(credentials, "get_account_info", {}, garbage)).rejects.toMatchObject({ statusMessage: "the answer is not JSON" });
    const info = await callViber(credentials, "get_account_info", {});
    expect(info).toMatchObject({ status: 0, name: "Chairside Test" });
  });

  it("validates credentials with clear errors", () => {
    expect(viberCredentialsSchema.parse({ authToken: TOKEN })).toEqual({ authToken: TOKEN, apiUrl: "https://chatapi.viber.com/pa", senderName: "Chairside", locale: "en" });
    const missing = viberCredentialsSchema.safeParse({});
    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0]?.message).toMatch(/VIBER_AUTH_TOKEN/);
    expect(viberCredentialsSchema.safeParse({ authToken: TOKEN, apiUrl: "ftp://x" }).success).toBe(false);
    expect(viberCredentialsSchema.safeParse({ authToken: "short" }).success).toBe(false);
  });
});
