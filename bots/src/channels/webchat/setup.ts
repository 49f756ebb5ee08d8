/**
 * Web chat needs no credentials, so every salon gets it: at start, each salon without a web chat
 * connection gets an enabled one (a salon that turned it off keeps it off). The environment's
 * Azure Bot Service app (WEBCHAT_APP_ID, WEBCHAT_APP_PASSWORD, WEBCHAT_APP_TENANT_ID) goes to the
 * first salon, replacing what was stored, as for the other messengers.
 */
import type { ChannelConnectionsService, WebchatStore } from "@chairside/core";

/** The first salon's Azure Bot Service app from the environment (bots/src/config.ts), or null. */
export type WebchatEnvironment = { appId: string; appPassword: string; appTenantId: string | null } | null;

/**
 * Creates the missing web chat connections and applies the environment's app to `firstSalonId`.
 * Resolves with the ids of the salons whose connection was written (the caller invalidates caches).
 */
export async function ensureWebchatConnections(deps: {
  connections: Pick<ChannelConnectionsService, "upsert">;
  conversations: Pick<WebchatStore, "salonsWithoutWebchat">;
  firstSalonId: string | null;
  environment: WebchatEnvironment;
}): Promise<string[]> {
  const written = new Set<string>();
  if (deps.firstSalonId && deps.environment) {
    const { appId, appPassword, appTenantId } = deps.environment;
    // As PUBLIC_CREDENTIAL_FIELDS (core/src/channels/credentials.ts) says: the ids in clear, the client secret encrypted.
    const config = { appId, ...(appTenantId ? { appTenantId } : {}) };
    await deps.connections.upsert({ tenantId: deps.firstSalonId, channel: "webchat", enabled: true, config, secrets: { appPassword } });
    written.add(deps.firstSalonId);
  }
  for (const tenantId of await deps.conversations.salonsWithoutWebchat()) {
    await deps.connections.upsert({ tenantId, channel: "webchat", enabled: true, config: {}, secrets: {} });
    written.add(tenantId);
  }
  return [...written];
}
