/**
 * Browser-test harness: the real server (bots/src/main.ts, which mounts the built admin) on a fresh
 * test database with the demo salon, and Debian's Chromium driven by playwright-core.
 *
 *   const app = await startApp();                 // beforeAll (the admin was built by global-setup.ts)
 *   const browser = await launchBrowser();
 *   const page = await newPage(browser, app);     // relative URLs resolve against the server
 *   const staff = await app.createAccount("staff");
 *   await signIn(page, staff);
 *   await screenshot(page, "calendar-staff");     // test-artifacts/browser/calendar-staff.png
 *   ...; await browser.close(); await app.stop(); // afterAll
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { createCore, seedDemoSalon, type AccountView, type Core, type StaffRole, type TenantView } from "@chairside/core";
import { createTestDatabase, type TestDatabase } from "@chairside/core/testing";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { REPO_ROOT, startServer, type ServerProcess } from "../e2e/server-process.js";

/** Where screenshots go (gitignored). */
export const ARTIFACTS_DIR = path.join(REPO_ROOT, "test-artifacts", "browser");

/** The Chromium binary of Debian's `chromium` package. Override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Phone viewport used by the phone-width tests (an iPhone 12–15 in CSS pixels). */
export const PHONE_VIEWPORT = { width: 390, height: 844 } as const;

/** An account with a known password. */
export interface TestAccount {
  account: AccountView;
  email: string;
  password: string;
}

/** The running app: server process, its database and direct access to core for setup and checks. */
export interface TestApp {
  /** e.g. "http://127.0.0.1:41234" (no trailing slash). */
  baseUrl: string;
  db: TestDatabase;
  /** Core on the same database (system clock), for creating accounts and checking the database. */
  core: Core;
  /** The demo salon. */
  tenant: TenantView;
  /** The owner's one-time sign-in link the server printed at start (null if the owner has a password). */
  ownerSignInUrl: string | null;
  server: ServerProcess;
  /** Creates an account of the demo salon with a password set (through a link, as in real life). */
  createAccount(role: StaffRole, options?: { staffId?: string; name?: string }): Promise<TestAccount>;
  /** Stops the server and drops the database. */
  stop(): Promise<void>;
}

let accountCounter = 0;

/**
 * Starts the server on a fresh database seeded with the demo salon, on a free port, without
 * Telegram. Resolves once the server printed its banner.
 */
export async function startApp(): Promise<TestApp> {
  const db = await createTestDatabase();
  let server: ServerProcess | undefined;
  try {
    const tenant = await seedDemoSalon(db.prisma);
    if (!tenant) throw new Error("The test database already had a salon");
    server = await startServer({
      DATABASE_URL: db.url,
      HOST: "127.0.0.1",
      PORT: "0",
      DEMO_DATA: "false",
      TELEGRAM_BOT_TOKEN: "",
      PUBLIC_URL: "",
      TELEGRAM_WEBHOOK_SECRET: "",
      LOG_LEVEL: "warn",
    });
    const admin = /Admin: +(http:\/\/\S+?)\/?(\s|$)/.exec(server.output)?.[1];
    if (!admin || server.output.includes("not built yet")) throw new Error(`The server did not mount the admin:\n${server.output}`);
    const ownerSignInUrl = /Sign-in link[^:]*: +(http:\/\/\S+)/.exec(server.output)?.[1] ?? null;
    const core = createCore(db.prisma);
    const running = server;
    return {
      baseUrl: admin,
      db,
      core,
      tenant,
      ownerSignInUrl,
      server: running,
      async createAccount(role, options = {}) {
        const n = ++accountCounter;
        const email = `${role}${n}-${process.pid}@browser.test`;
        const password = `password-${role}-${n}-long`;
        const account = await core.auth.createAccount({ tenantId: tenant.id, email, name: options.name ?? `${role[0]!.toUpperCase()}${role.slice(1)} ${n}`, role, staffId: options.staffId ?? null });
        const link = await core.auth.createSignInLink({ tenantId: tenant.id, accountId: account.id });
        await core.auth.completeSignInLink({ token: link.token, password });
        return { account: { ...account, hasPassword: true }, email, password };
      },
      async stop() {
        await running.stop();
        await db.drop();
      },
    };
  } catch (e) {
    await server?.kill();
    await db.drop();
    throw e;
  }
}

/** Launches headless Chromium (Debian package) with the flags that work in containers. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** The app (`startApp`) and Chromium (`launchBrowser`) most browser test files share for all their tests. */
export async function startAppAndBrowser(): Promise<{ app: TestApp; browser: Browser }> {
  const app = await startApp();
  try {
    return { app, browser: await launchBrowser() };
  } catch (e) {
    await app.stop();
    throw e;
  }
}

/** Closes what `startAppAndBrowser` started (either may be missing when the start failed). */
export async function stopAppAndBrowser(started: { app?: TestApp | undefined; browser?: Browser | undefined }): Promise<void> {
  await started.browser?.close();
  await started.app?.stop();
}

/** A page in a fresh context (own cookies) whose relative URLs resolve against the app. */
export async function newPage(browser: Browser, app: Pick<TestApp, "baseUrl">, options: { viewport?: { width: number; height: number } } = {}): Promise<Page> {
  const context: BrowserContext = await browser.newContext({ baseURL: app.baseUrl, viewport: options.viewport ?? { width: 1280, height: 800 }, locale: "en-GB" });
  context.setDefaultTimeout(15_000);
  return context.newPage();
}

/** Fills and submits the sign-in form; resolves once the browser left /signin. */
export async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/signin");
}

/** Saves a full-page screenshot to test-artifacts/browser/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
