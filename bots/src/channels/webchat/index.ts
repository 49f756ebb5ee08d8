/**
 * Web chat through the Microsoft Bot Framework Activity protocol, with @microsoft/agents-hosting
 * (the maintained successor of the archived botbuilder). With no Azure account it serves the
 * salon's own booking page (`/book/<salon>/chat`): this server opens the conversations, takes the
 * widget's Activities and keeps the bot's replies for the widget to poll. With an Azure Bot Service
 * app id, the same endpoint also answers Azure's channels (Teams, Web Chat, SMS).
 *
 * The server uses `webchatPlugin` (enabled for every salon by `ensureWebchatConnections`) and
 * mounts the widget's routes with `mountWebchatRoutes` (routes.ts).
 */
import { DomainError, WebchatStore } from "@chairside/core";
import type { ChannelDeps, ChannelPlugin } from "../plugin.js";
import { AzureConnector, createAzureVerifier } from "./azure.js";
import { type WebchatCredentials, webchatCredentialsSchema } from "./credentials.js";
import { WebchatChannel, type WebchatConversations } from "./webchat.channel.js";
import { createWebchatWebhookHandler } from "./webhook.js";

export { AzureConnector, authConfigOf, createAzureVerifier } from "./azure.js";
export { webchatCredentialsSchema, type WebchatCredentials } from "./credentials.js";
export { chatIdOf, isWidgetConversation, parseActivity, parseMessages, type InboundActivity, type ParsedActivity } from "./parse.js";
export { activityViolations, choiceAction, numberPrompts, renderActivities, suggestedActionLimit, type OutgoingActivity } from "./render.js";
export { mountWebchatRoutes, type WebchatRoutesDeps } from "./routes.js";
export { ensureWebchatConnections, type WebchatEnvironment } from "./setup.js";
export { BOT_ACCOUNT, WebchatChannel, type WebchatConversations } from "./webchat.channel.js";
export { bearerOf, createWebchatWebhookHandler, MAX_BODY_BYTES } from "./webhook.js";

/** Test seams: an in-memory conversation store and a fixed salon instead of the database. */
export interface WebchatPluginOverrides {
  conversations?: WebchatConversations;
  tenantId?: string;
}

/**
 * A web chat plugin. The server's (`webchatPlugin`) stores conversations in PostgreSQL through
 * the `prisma` the platform passes; tests pass `overrides`. Factories throw `config_invalid` when
 * neither is available.
 */
export function createWebchatPlugin(overrides: WebchatPluginOverrides = {}): ChannelPlugin<WebchatCredentials> {
  const resolve = (deps: ChannelDeps<WebchatCredentials>) => {
    const tenantId = overrides.tenantId ?? deps.tenantId;
    const conversations = overrides.conversations ?? (deps.prisma ? new WebchatStore(deps.prisma) : undefined);
    if (!tenantId || !conversations) throw new DomainError("config_invalid", "Web chat needs the database and the salon (the server passes both)");
    return { tenantId, conversations };
  };
  return {
    name: "webchat",
    credentialsSchema: webchatCredentialsSchema,
    createChannel: (deps) => new WebchatChannel({ ...resolve(deps), azure: deps.credentials.appId ? new AzureConnector(deps.credentials) : null, log: deps.log }),
    createWebhookHandler: (deps) =>
      createWebchatWebhookHandler({ ...deps, ...resolve(deps), verifyAzure: deps.credentials.appId ? createAzureVerifier(deps.credentials) : null }),
    start: async ({ credentials, salon, webhookUrl }) => {
      const widget = `the booking page's chat (/book/${salon.slug}/chat)`;
      const azure = credentials.appId
        ? `; Azure Bot Service app ${credentials.appId}: messaging endpoint ${webhookUrl ?? "needs PUBLIC_URL"}`
        : "; set WEBCHAT_APP_ID and WEBCHAT_APP_PASSWORD to also answer Teams and Azure's channels";
      return { line: `${widget}${azure}`, stop: async () => {} };
    },
  };
}

/** The web chat plugin of the server: name "webchat", webhook at `/webhooks/webchat/<salon slug>` (and `/api/messages`). */
export const webchatPlugin: ChannelPlugin<WebchatCredentials> = createWebchatPlugin();
