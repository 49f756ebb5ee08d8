/** Channel credentials per salon, encrypted at rest with the installation's key. */
export { SecretBox, SECRET_KEY_VARIABLE, parseSecretKey, generateSecretKey, resolveSecretKey, type ResolvedSecretKey } from "./secret-box.js";
export {
  ChannelConnectionsService,
  type ChannelConnectionView,
  type ChannelCredentials,
  type ChannelConnectionInput,
} from "./channel-connections.service.js";
