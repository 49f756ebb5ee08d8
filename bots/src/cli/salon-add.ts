/**
 * The logic of `npm run salon:add` (bots/src/cli/salon.ts is its thin entry): parse and check the
 * flags, then add the salon, make sure it has an owner account, and print for the operator the
 * salon, the owner's email, a one-time sign-in link, the booking page and each channel's webhook
 * URL. The sign-in link is a secret: it goes to `stdout` once and to no log.
 */
import { parseArgs } from "node:util";
import { type Core, createSalonSchema, defaultOwnerEmail, isDomainError, parseInput, type TenantView } from "@chairside/core";
import { z } from "zod";
import { CHANNEL_LABELS, CHANNEL_NAMES } from "../channels/registry.js";
import { webhookUrlFor } from "../channels/platform.js";
import { type Env, envShape } from "../config.js";

/** What `runSalonAdd` needs of core: the catalog, the salon admin, sign-in, and the client (to undo a half-added salon). */
export type SalonAddCore = Pick<Core, "catalog" | "catalogAdmin" | "auth" | "prisma">;

/** Where `runSalonAdd` writes: process.stdout/process.stderr, or collectors in tests. */
export interface TextOut {
  write(text: string): unknown;
}

/** The dependencies of `runSalonAdd`. */
export interface SalonAddDeps {
  /**
   * Opens the database (migrated) and wires core. Called only once the flags are valid, so
   * `--help` and bad flags need no database. The caller closes what it opened.
   */
  openCore: () => Promise<SalonAddCore>;
  /** The environment (after .env is loaded): PUBLIC_URL and PORT make the printed URLs. */
  env: Env;
  /** The operator's output: the salon, the owner, the sign-in link, the URLs. */
  stdout: TextOut;
  /** Usage and error messages. */
  stderr: TextOut;
}

/** Each flag and the field of the salon input (or of the owner) it sets. */
const FLAGS = {
  name: "name",
  slug: "slug",
  "time-zone": "timeZone",
  currency: "currency",
  country: "country",
  locale: "locale",
  "owner-email": "ownerEmail",
} as const;
type Flag = keyof typeof FLAGS;
const FLAG_OF: Record<string, Flag> = Object.fromEntries(Object.entries(FLAGS).map(([flag, field]) => [field, flag as Flag]));

/** The text `--help` prints. */
export const SALON_ADD_USAGE = `Usage: npm run salon:add -- --name <name> --slug <slug> --time-zone <zone> --currency <code> --country <code>
                           [--locale <tag>] [--owner-email <email>]

Adds a salon to this installation with an owner account, and prints the owner's one-time
sign-in link, the booking page and the salon's webhook URLs.

  --name         the salon's name as clients see it, e.g. "Studio Nord"
  --slug         its URL name: 2-40 lower-case letters, digits and hyphens, e.g. studio-nord
  --time-zone    IANA time zone, e.g. Europe/Berlin
  --currency     ISO 4217 code, e.g. EUR
  --country      ISO 3166-1 alpha-2 code, for phone numbers typed without a country code, e.g. DE
  --locale       BCP 47 language tag (default: en)
  --owner-email  the owner's sign-in email (default: owner@<slug>.chairside.local)
  --help         show this text

The database is the one \`npm start\` uses: DATABASE_URL, else the embedded PostgreSQL under
DATA_DIR (default ./.data; stop the server first, the embedded database serves one process).
Links start with PUBLIC_URL, else http://localhost:<PORT> (PORT defaults to 3000).
`;

/** Lower-cased, trimmed email, as AuthService stores it. */
const ownerEmailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email("a valid email address, e.g. owner@studio-nord.example"));
const urlEnvSchema = z.object({ PUBLIC_URL: envShape.PUBLIC_URL, PORT: envShape.PORT });

/** A flag problem for the operator: "--time-zone: unknown IANA time zone". */
class FlagError extends Error {}

const OPTIONS = {
  ...(Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: "string" }])) as Record<Flag, { type: "string" }>),
  help: { type: "boolean", short: "h" },
} as const;

function parseFlags(argv: readonly string[]): { help: true } | { help: false; values: Partial<Record<Flag, string>> } {
  let values: Partial<Record<Flag, string>> & { help?: boolean };
  try {
    values = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    // Node's messages name the flag: "Unknown option '--colour'", "Option '--slug <value>' argument missing".
    throw new FlagError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  if (values.help) return { help: true };
  const { help: _help, ...flags } = values;
  return { help: false, values: flags };
}

/** Checks every flag before anything is written; throws FlagError listing each problem by flag. */
function checkFlags(values: Partial<Record<Flag, string>>): { salon: z.output<typeof createSalonSchema>; ownerEmail: string } {
  const problems: string[] = [];
  for (const flag of ["name", "slug", "time-zone", "currency", "country"] as const) {
    if (values[flag] === undefined) problems.push(`--${flag} is required`);
  }
  let salon: z.output<typeof createSalonSchema> | undefined;
  try {
    salon = parseInput(createSalonSchema, {
      name: values.name,
      slug: values.slug,
      timeZone: values["time-zone"],
      currency: values.currency,
      country: values.country,
      ...(values.locale !== undefined ? { locale: values.locale } : {}),
    }, "salon");
  } catch (e) {
    if (!isDomainError(e, "invalid_input")) throw e;
    const issues = (e.details as { issues: { path: string; message: string }[] }).issues;
    for (const issue of issues) {
      const flag = FLAG_OF[issue.path];
      // Missing flags were reported above; report each flag's first problem once.
      if (flag && values[flag] === undefined) continue;
      const line = `--${flag ?? issue.path}: ${issue.message} (got ${JSON.stringify(values[flag!] ?? "")})`;
      if (!problems.some((p) => p.startsWith(`--${flag ?? issue.path}:`))) problems.push(line);
    }
  }
  const email = values["owner-email"] === undefined ? undefined : ownerEmailSchema.safeParse(values["owner-email"]);
  if (email && !email.success) problems.push(`--owner-email: ${email.error.issues[0]?.message} (got ${JSON.stringify(values["owner-email"])})`);
  // In the order of the usage text.
  const order = (p: string) => Object.keys(FLAGS).findIndex((flag) => p.startsWith(`--${flag}:`) || p.startsWith(`--${flag} `));
  problems.sort((a, b) => order(a) - order(b));
  if (problems.length > 0 || !salon) throw new FlagError(problems.join("\n"));
  return { salon, ownerEmail: email?.success ? email.data : defaultOwnerEmail(salon.slug) };
}

/** The base of printed URLs: PUBLIC_URL, else http://localhost:<PORT or 3000>. Throws FlagError naming the variable. */
function baseUrlOf(env: Env): string {
  const result = urlEnvSchema.safeParse(env);
  if (!result.success) throw new FlagError([...new Set(result.error.issues.map((i) => i.message))].join("\n"));
  return result.data.PUBLIC_URL ? result.data.PUBLIC_URL.replace(/\/+$/, "") : `http://localhost:${result.data.PORT ?? 3000}`;
}

/** The owner account and a fresh one-time link; undoes the salon when that fails, so a failed run leaves nothing behind. */
async function addOwner(core: SalonAddCore, salon: TenantView, email: string): Promise<{ email: string; token: string | null; expiresAt: Date | null }> {
  try {
    const owner = await core.auth.ensureOwner({ tenantId: salon.id, email, name: `${salon.name} owner` });
    if (owner.hasPassword) return { email: owner.email, token: null, expiresAt: null };
    const link = await core.auth.createSignInLink({ tenantId: salon.id, accountId: owner.id });
    return { email: owner.email, token: link.token, expiresAt: link.expiresAt };
  } catch (e) {
    // The salon was created a moment ago and has nothing but (maybe) this account: removing it cascades.
    await core.prisma.tenant.delete({ where: { id: salon.id } }).catch((undo: unknown) => {
      throw new AggregateError([e, undo], `Adding the owner failed, and the new salon "${salon.slug}" could not be removed again`);
    });
    throw e;
  }
}

/**
 * `npm run salon:add -- <argv>`: adds a salon and its owner and prints what the operator needs.
 * Resolves with the exit code: 0 when added (or for `--help`), 1 for bad flags, a bad PUBLIC_URL
 * or PORT, a taken slug or owner email (each message names the flag; nothing is written).
 * Other failures (the database) reject; the caller explains them.
 */
export async function runSalonAdd(argv: readonly string[], deps: SalonAddDeps): Promise<number> {
  const fail = (message: string) => {
    deps.stderr.write(`${message}\n\nRun npm run salon:add -- --help for the flags.\n`);
    return 1;
  };
  let input: ReturnType<typeof checkFlags>;
  let baseUrl: string;
  try {
    const flags = parseFlags(argv);
    if (flags.help) {
      deps.stdout.write(SALON_ADD_USAGE);
      return 0;
    }
    input = checkFlags(flags.values);
    baseUrl = baseUrlOf(deps.env);
  } catch (e) {
    if (e instanceof FlagError) return fail(`Cannot add the salon:\n${e.message.replace(/^/gm, "  ")}`);
    throw e;
  }

  const core = await deps.openCore();
  let salon: TenantView;
  let owner: Awaited<ReturnType<typeof addOwner>>;
  try {
    salon = await core.catalogAdmin.createSalon(input.salon);
    owner = await addOwner(core, salon, input.ownerEmail);
  } catch (e) {
    if (isDomainError(e, "conflict")) {
      const flag = (e.details as { field?: string } | undefined)?.field === "email" ? "--owner-email" : "--slug";
      return fail(`Cannot add the salon:\n  ${flag}: ${e.message}${flag === "--slug" ? " (choose another slug)" : " (choose another email)"}`);
    }
    if (isDomainError(e, "invalid_input")) return fail(`Cannot add the salon: ${e.message}`);
    throw e;
  }
  const first = await core.catalog.getDefaultTenant();

  const lines = [
    `Added the salon "${salon.name}" (${salon.slug}): ${salon.timeZone}, ${salon.currency}, country ${salon.country}, locale ${salon.locale}.`,
    `  Owner:    ${owner.email}`,
    ...(owner.token
      ? [`  Sign-in link for the owner (one-time, sets the password; until ${owner.expiresAt!.toISOString()}): ${baseUrl}/auth/link/${owner.token}`]
      : ["  The owner signs in with their password."]),
    `  Booking:  ${baseUrl}/book/${salon.slug}`,
    deps.env.PUBLIC_URL?.trim()
      ? "  Webhooks:"
      : "  Webhooks (messengers deliver only to https: set PUBLIC_URL; Telegram works by long polling without):",
    ...CHANNEL_NAMES.map((channel) => `    ${`${CHANNEL_LABELS[channel]}:`.padEnd(10)} ${webhookUrlFor(baseUrl, channel, salon.slug)}`),
    "  Messenger credentials for this salon are set in the admin under Settings → Channels (signed in as its owner).",
    first && first.id !== salon.id
      ? `  The first salon is still "${first.name}" (${first.slug}): the TELEGRAM_*, WHATSAPP_*, VIBER_* and WEBCHAT_* variables keep configuring it.`
      : "  This is the first salon (so no demo salon will be made): the TELEGRAM_*, WHATSAPP_*, VIBER_* and WEBCHAT_* variables configure it.",
    "A running server starts this salon's web chat and the channels set in Settings → Channels within about 15 seconds; otherwise they start with the server.",
  ];
  deps.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
