/** Channel credentials per salon, encrypted at rest with the installation's key. */
export { SecretBox, SECRET_KEY_VARIABLE, parseSecretKey, generateSecretKey, resolveSecretKey, type ResolvedSecretKey } from "./secret-box.js";
export {
  ChannelConnectionsService,
  type ChannelConnectionView,
  type ChannelCredentials,
  type ChannelConnectionInput,
} from "./channel-connections.service.js";
export {
  telegramCredentialsSchema,
  whatsappCredentialsSchema,
  viberCredentialsSchema,
  webchatCredentialsSchema,
  TELEGRAM_BOT_TOKEN_PATTERN,
  TELEGRAM_WEBHOOK_SECRET_PATTERN,
  DEFAULT_TELEGRAM_API_ROOT,
  DEFAULT_WHATSAPP_GRAPH_URL,
  DEFAULT_VIBER_API_URL,
  VIBER_MAX_SENDER_NAME,
  VIBER_DEFAULT_SENDER_NAME,
  CREDENTIAL_CHANNELS,
  CREDENTIAL_SCHEMAS,
  PUBLIC_CREDENTIAL_FIELDS,
  isPublicCredentialField,
  splitCredentials,
  type TelegramCredentials,
  type WhatsAppCredentials,
  type ViberCredentials,
  type WebchatCredentials,
  type CredentialChannel,
} from "./credentials.js";
