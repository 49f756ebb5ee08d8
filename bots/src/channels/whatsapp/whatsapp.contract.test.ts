/** WhatsApp passes the channel contract (../contract.ts) with the samples from Meta's docs and the fake Graph API. */
import { readFileSync } from "node:fs";
import { FakeWhatsApp, whatsappViolations } from "../../testing/fake-whatsapp.js";
import { describeChannelContract } from "../contract.js";
import { type WhatsAppCredentials, whatsappPlugin } from "./index.js";
import { signPayload } from "./verify.js";

const sample = (name: string) => readFileSync(new URL(`./samples/${name}.json`, import.meta.url), "utf8");
const credentials = {
  phoneNumberId: "106540352242922",
  accessToken: "EAAG-contract-test-token",
  appSecret: "contract-app-secret",
  verifyToken: "contract-verify-token",
};

describeChannelContract<WhatsAppCredentials>("WhatsApp", {
  plugin: whatsappPlugin,
  credentials,
  sign: (body) => ({ "x-hub-signature-256": signPayload(body, credentials.appSecret) }),
  signatureCoversBody: true,
  samples: [
    { name: "text", body: sample("text"), kinds: ["text"] },
    { name: "interactive button reply", body: sample("interactive-button-reply"), kinds: ["choice"] },
    { name: "interactive list reply", body: sample("interactive-list-reply"), kinds: ["choice"] },
    { name: "template quick reply", body: sample("template-quick-reply"), kinds: ["choice"] },
    { name: "shared contact (own)", body: sample("contacts-own"), kinds: ["contact"] },
    { name: "batch: two entries, three messages, a status", body: sample("batch-two-entries"), kinds: ["text", "choice", "text"], statuses: 1 },
    { name: "status sent", body: sample("status-sent"), kinds: [], statuses: 1 },
    { name: "status delivered", body: sample("status-delivered"), kinds: [], statuses: 1 },
    { name: "status read", body: sample("status-read"), kinds: [], statuses: 1 },
    { name: "status failed (131047)", body: sample("status-failed-131047"), kinds: [], statuses: 1 },
  ],
  unsupportedSamples: [
    { name: "image", body: sample("image") },
    { name: "sticker", body: sample("sticker") },
    { name: "location", body: sample("location") },
    { name: "voice", body: sample("audio-voice") },
  ],
  render: {
    start: async () => {
      const fake = await FakeWhatsApp.start({ accessToken: credentials.accessToken, phoneNumberId: credentials.phoneNumberId, appSecret: credentials.appSecret });
      let mark = 0;
      return {
        credentials: whatsappPlugin.credentialsSchema.parse({ ...credentials, graphUrl: fake.graphUrl }),
        chatId: "4520123456",
        requests: () => fake.sent.slice(mark).map((m) => m.request),
        reset: () => {
          mark = fake.sent.length;
        },
        close: () => fake.close(),
      };
    },
    violations: whatsappViolations,
  },
});
