import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newPage, PHONE_VIEWPORT, screenshot, signIn, startAppAndBrowser, stopAppAndBrowser, type TestApp } from "./harness.js";

/** Clicks "Sign in" and waits for the form's answer. */
async function submitAndWait(page: Page): Promise<void> {
  await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === "/signin" && r.request().method() === "POST"),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
}

/** The labels of the main navigation, in order. */
async function navLabels(page: Page): Promise<string[]> {
  return page.getByRole("navigation", { name: "Main" }).getByRole("listitem").allInnerTexts();
}

describe("sign-in, sign-out and the shell (Chromium)", () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    ({ app, browser } = await startAppAndBrowser());
  });
  afterAll(() => stopAppAndBrowser({ app, browser }));

  it("the owner's one-time link from the start banner sets a password, signs in, and works only once", async () => {
    expect(app.server.output).toContain(`Owner:    owner@demo.chairside.local`);
    expect(app.server.output).toContain(`Booking:  ${app.baseUrl}/book/demo`);
    expect(app.ownerSignInUrl).toMatch(new RegExp(`^${app.baseUrl}/auth/link/[A-Za-z0-9_-]{43}$`));
    const page = await newPage(browser, app);
    await page.goto(app.ownerSignInUrl!);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toBe("Set your password");
    await screenshot(page, "set-password");

    // Too short, then two different passwords: field errors, the link still works.
    await page.getByLabel("New password", { exact: true }).fill("short");
    await page.getByLabel("New password again").fill("short");
    await page.evaluate(() => document.querySelector("form")?.setAttribute("novalidate", ""));
    await page.getByRole("button", { name: "Set password and sign in" }).click();
    await expect.poll(() => page.locator("#field-password-error").innerText()).toBe("Use at least 10 characters");
    await page.getByLabel("New password", { exact: true }).fill("owner password 1");
    await page.getByLabel("New password again").fill("owner password 2");
    await page.getByRole("button", { name: "Set password and sign in" }).click();
    await expect.poll(() => page.locator("#field-confirm-error").innerText()).toBe("The two passwords are not the same");

    await page.getByLabel("New password", { exact: true }).fill("owner password 1");
    await page.getByLabel("New password again").fill("owner password 1");
    await page.getByRole("button", { name: "Set password and sign in" }).click();
    await page.waitForURL("**/calendar");
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Calendar");
    expect(await navLabels(page)).toEqual(["Calendar", "POS", "Clients", "Notifications", "Inventory", "Settings", "Reports"]);
    await screenshot(page, "calendar-owner");

    const again = await newPage(browser, app);
    await again.goto(app.ownerSignInUrl!);
    expect(await again.getByRole("heading", { level: 1 }).innerText()).toBe("This link no longer works");
    // The owner signs in with the new password from now on.
    await signIn(again, { email: "owner@demo.chairside.local", password: "owner password 1" });
    expect(new URL(again.url()).pathname).toBe("/calendar");
  });

  it("signs in through the form, shows the shell for the role, and signs out", async () => {
    const manager = await app.createAccount("manager", { name: "Mona Manager" });
    const page = await newPage(browser, app);
    await page.goto("/");
    await page.waitForURL("**/signin");
    await screenshot(page, "signin");
    await signIn(page, manager);
    expect(new URL(page.url()).pathname).toBe("/calendar");
    // Managers may not open Settings, but link their own Telegram chat.
    expect(await navLabels(page)).toEqual(["Calendar", "POS", "Clients", "Notifications", "Inventory", "Telegram", "Reports"]);
    expect(await page.getByRole("navigation", { name: "Main" }).innerText()).toContain("Mona Manager");
    expect(await page.getByRole("link", { name: "Calendar" }).getAttribute("aria-current")).toBe("page");
    // The Telegram entry opens the pairing page with only the tab a manager may use.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Telegram" }).click();
    await page.waitForURL("**/settings/telegram");
    await page.getByRole("button", { name: "Link my Telegram" }).click();
    await expect.poll(() => page.getByText("/pair ").count()).toBeGreaterThan(0);
    expect(await page.getByRole("navigation", { name: "Settings" }).getByRole("link").allInnerTexts()).toEqual(["Telegram"]);
    await page.goto("/calendar");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/signin");
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === "chairside_session")).toBeUndefined();
    await page.goto("/calendar");
    expect(page.url()).toBe(`${app.baseUrl}/signin?next=%2Fcalendar`);
  });

  it("keeps the session in an httpOnly, SameSite=Lax cookie and returns to the page asked for", async () => {
    const staff = await app.createAccount("staff");
    const page = await newPage(browser, app);
    await page.goto("/calendar?date=2030-03-04");
    expect(new URL(page.url()).pathname).toBe("/signin");
    await page.getByLabel("Email").fill(staff.email);
    await page.getByLabel("Password").fill(staff.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/calendar?date=2030-03-04");
    const cookie = (await page.context().cookies()).find((c) => c.name === "chairside_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false, path: "/" });
    expect(await page.evaluate(() => document.cookie)).not.toContain("chairside_session");
    expect(await navLabels(page)).toEqual(["Calendar", "POS"]);
  });

  it("a wrong password shows an error and does not sign in; after 5 failures it says when to try again", async () => {
    const staff = await app.createAccount("staff");
    const page = await newPage(browser, app);
    await page.goto("/signin");
    await page.getByLabel("Email").fill(staff.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").innerText()).toBe("Wrong email or password");
    expect(new URL(page.url()).pathname).toBe("/signin");
    expect(await page.getByLabel("Email").inputValue()).toBe(staff.email);
    await screenshot(page, "signin-wrong-password");

    for (let i = 2; i <= 5; i++) {
      await page.getByLabel("Password").fill(`wrong password ${i}`);
      await submitAndWait(page);
    }
    await page.getByLabel("Password").fill(staff.password);
    await submitAndWait(page);
    await expect.poll(() => page.getByRole("alert").innerText()).toBe("Too many failed sign-ins for this email: try again in 15 minutes");
    expect(new URL(page.url()).pathname).toBe("/signin");
  });

  it("at phone width the menu opens and closes by keyboard and its links navigate", async () => {
    const owner = await app.createAccount("owner");
    const page = await newPage(browser, app, { viewport: PHONE_VIEWPORT });
    await signIn(page, owner);
    await page.goto("/calendar?date=2030-03-04");
    const menu = page.getByRole("button", { name: "Menu" });
    const settings = page.getByRole("link", { name: "Settings" });
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    expect(await settings.isVisible()).toBe(false);
    await screenshot(page, "phone-calendar");

    await menu.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => settings.isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Close" }).getAttribute("aria-expanded")).toBe("true");
    const box = await page.getByRole("link", { name: "POS" }).boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44); // a thumb-sized target
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE_VIEWPORT.width);
    await screenshot(page, "phone-menu-open");

    await page.keyboard.press("Escape");
    await expect.poll(() => settings.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Menu");

    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab"); // the first link of the menu
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Calendar");
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname === "/calendar" && url.search === "");
    // The menu closes after navigating.
    await expect.poll(() => settings.isVisible()).toBe(false);
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEWPORT.width);
  });
});
