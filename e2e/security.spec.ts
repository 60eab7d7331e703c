import type { Page } from "@playwright/test";
import { ChatPage } from "./pages/chat-page";
import { expect, newAccount, signUp, test } from "./fixtures";

/** docs/security.md attacks that are a browser's: an off-site redirect after sign-in, and the CSP. */

const offSite = (url: URL, baseURL: string) => url.origin !== new URL(baseURL).origin;

/** Nothing may ever be requested from the attacker's host; record any attempt. */
async function watchForEscape(page: Page) {
  const attempts: string[] = [];
  await page.context().route((url) => url.hostname.endsWith("evil.example"), (route) => {
    attempts.push(route.request().url());
    return route.abort();
  });
  return attempts;
}

for (const attack of ["/\t/evil.example", "/\\evil.example", "//evil.example", "https:evil.example", "/.//evil.example"]) {
  test(`signing in from a link with callbackUrl=${JSON.stringify(attack)} lands on our own site`, async ({ page, baseURL }) => {
    const account = await signUp(page, newAccount("redir"));
    await page.context().clearCookies();
    const attempts = await watchForEscape(page);

    await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(attack)}`);
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/chat" || offSite(url, baseURL!));
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
    await expect(new ChatPage(page).composer).toBeVisible();

    // Signed in now: the same link redirects at once, and still to us.
    await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(attack)}`);
    await page.waitForURL((url) => url.pathname === "/chat" || offSite(url, baseURL!));
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
    expect(attempts).toEqual([]);
  });
}

test("pages run under a nonce CSP without 'unsafe-inline' and still work: no violation anywhere", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy|Refused to (execute|load)/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await page.emulateMedia({ colorScheme: "dark" });

  const signInPage = await page.goto("/sign-in");
  const csp = signInPage!.headers()["content-security-policy"]!;
  const scriptSrc = csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src "))!;
  expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  expect(scriptSrc).not.toContain("'unsafe-eval'");
  // next-themes' inline script ran (it carries the nonce): the theme class is set.
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);

  // Hydrated pages: the sign-up form (client-side submit), the chat (streaming), settings.
  await signUp(page, newAccount("csp"));
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("hello under a strict CSP");
  await expect(chat.lastBotMessage()).toContainText("Echo: hello under a strict CSP");
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL(/\/sign-in/);
  await page.goto("/api/docs");
  await expect(page.getByRole("heading").first()).toBeVisible();

  expect(violations).toEqual([]);
});
