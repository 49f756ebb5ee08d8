/** Viber passes the channel contract (../contract.ts) with the samples from Viber's docs and the fake REST API. */
import { readFileSync } from "node:fs";
import { FakeViber, viberViolations } from "../../testing/fake-viber.js";
import { describeChannelContract } from "../contract.js";
import { type ViberCredentials, viberPlugin } from "./index.js";
import { signBody, SIGNATURE_HEADER } from "./verify.js";

const sample = (name: string) => readFileSync(new URL(`./samples/${name}.json`, import.meta.url), "utf8");
const credentials = { authToken: "445da6az1s345z78-dazcczb2542zv51a-contract", senderName: "Contract Salon" };
const CHAT = "01234567890A=";

describeChannelContract<ViberCredentials>("Viber", {
  plugin: viberPlugin,
  credentials,
  sign: (body) => ({ [SIGNATURE_HEADER]: signBody(body, credentials.authToken) }),
  signatureCoversBody: true,
  samples: [
    { name: "webhook (set_webhook handshake)", body: sample("webhook"), kinds: [] },
    { name: "conversation_started (welcome in the response)", body: sample("conversation-started"), kinds: [] },
    { name: "text", body: sample("message-text"), kinds: ["text"] },
    { name: "contact (share-phone)", body: sample("message-contact"), kinds: ["contact"] },
    { name: "subscribed", body: sample("subscribed"), kinds: [], notices: 1 },
    { name: "unsubscribed", body: sample("unsubscribed"), kinds: [], notices: 1 },
    { name: "delivered", body: sample("delivered"), kinds: [], statuses: 1 },
    { name: "seen", body: sample("seen"), kinds: [], statuses: 1 },
    { name: "failed", body: sample("failed"), kinds: [], statuses: 1 },
  ],
  unsupportedSamples: [
    { name: "picture", body: sample("message-picture") },
    { name: "sticker", body: sample("message-sticker") },
    { name: "location", body: sample("message-location") },
  ],
  render: {
    start: async () => {
      const fake = await FakeViber.start({ authToken: credentials.authToken });
      fake.setUser(CHAT, { subscribed: true });
      let mark = 0;
      return {
        credentials: viberPlugin.credentialsSchema.parse({ ...credentials, apiUrl: fake.apiUrl }),
        chatId: CHAT,
        requests: () => fake.calls.slice(mark).filter((c) => c.method === "send_message").map((c) => c.body),
        reset: () => {
          mark = fake.calls.length;
        },
        close: () => fake.close(),
      };
    },
    violations: (request) => viberViolations(request),
  },
});
