/**
 * Web chat passes the channel contract (../contract.ts) with Activity samples after Microsoft's
 * docs (samples/README.md). The "signature" is the widget's conversation token
 * (`Authorization: Bearer wc_…`), and the render checks read the transcript the widget would poll.
 */
import { readFileSync } from "node:fs";
import { MemoryWebchatConversations } from "../../testing/memory-webchat.js";
import { describeChannelContract } from "../contract.js";
import { activityViolations, createWebchatPlugin, type WebchatCredentials } from "./index.js";

const sample = (name: string) => readFileSync(new URL(`./samples/${name}.json`, import.meta.url), "utf8");
const TENANT = "00000000-0000-4000-8000-000000000001";
const CONVERSATION = "wc_Q2hhaXJzaWRlU2FtcGxlQ29udmVyczAx"; // the samples' conversation.id
const TOKEN = `${CONVERSATION}.contract-token-secret-part-0123456789abcdef`;

const conversations = new MemoryWebchatConversations();
conversations.addWidgetConversation(TENANT, CONVERSATION, TOKEN);
const plugin = createWebchatPlugin({ conversations, tenantId: TENANT });

describeChannelContract<WebchatCredentials>("Web chat", {
  plugin,
  credentials: {},
  sign: () => ({ authorization: `Bearer ${TOKEN}` }),
  signatureCoversBody: false,
  samples: [
    { name: "message (text)", body: sample("message-text"), kinds: ["text"] },
    { name: "message (suggested action, messageBack)", body: sample("message-suggested-action"), kinds: ["choice"] },
    { name: "conversationUpdate (the user joined)", body: sample("conversation-update"), kinds: ["start"] },
    { name: "conversationUpdate (only the bot joined)", body: sample("conversation-update-bot-added"), kinds: [] },
    { name: "typing (no answer expected)", body: sample("typing"), kinds: [] },
  ],
  unsupportedSamples: [
    { name: "messageReaction", body: sample("message-reaction") },
    { name: "event", body: sample("event") },
    { name: "message with only an image", body: sample("message-image") },
  ],
  render: {
    start: async () => {
      const { conversationId } = await conversations.openWidgetConversation(TENANT);
      let mark = 0;
      const mine = () => conversations.appended.filter((a) => a.conversationId === conversationId);
      return {
        credentials: {},
        chatId: conversationId,
        requests: () => mine().slice(mark).map((a) => a.activity),
        reset: () => {
          mark = mine().length;
        },
        close: async () => {},
      };
    },
    violations: (activity) => activityViolations(activity),
  },
});
