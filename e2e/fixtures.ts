import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";

export type StackDetails = { baseUrl: string; databaseUrl?: string; redisUrl?: string; keyPrefix: string; llmUrl: string };

export function stackDetails(): StackDetails {
  return JSON.parse(fs.readFileSync(path.join(__dirname, ".stack.json"), "utf8"));
}

export type Account = { email: string; password: string; name: string };

export function newAccount(tag = "e2e"): Account {
  return { email: `${tag}-${crypto.randomBytes(5).toString("hex")}@example.com`, password: "correct horse battery", name: tag };
}

/** Signs up through the real form and waits for the chat page. */
export async function signUp(page: Page, account = newAccount()) {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(account.name);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: /create account|계정 만들기/i }).click();
  await page.waitForURL(/\/chat/);
  return account;
}

/** A REST client for the same account: seeds data quickly through the public API. */
export async function apiToken(account: Account) {
  const res = await fetch(`${stackDetails().baseUrl}/api/chatbot/auth/token/`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: account.email, password: account.password, name: "e2e" }),
  });
  if (res.status !== 201) throw new Error(`token: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

export async function restCall(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${stackDetails().baseUrl}/api/chatbot${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

export const test = base.extend<{ account: Account }>({
  account: async ({ page }, use) => {
    await use(await signUp(page));
  },
});
export { expect };

/** Our alerts (Next.js keeps an empty role="alert" route announcer on every page). */
export const alerts = (page: Page) => page.locator('[role="alert"]:not(#__next-route-announcer__)');

/**
 * Every item of the open menu is the top element at its centre: what a click there hits is
 * the item (or something inside it), not a sidebar row or anything else painted over it.
 */
export async function expectMenuItemsOnTop(page: Page) {
  const items = page.getByRole("menuitem");
  await expect(items.first()).toBeVisible();
  const covered = await items.evaluateAll((elements) =>
    elements
      .map((item) => {
        const box = item.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return hit && item.contains(hit) ? undefined : `${item.textContent?.trim()} is covered by ${hit?.outerHTML.slice(0, 120) ?? "nothing"}`;
      })
      .filter(Boolean),
  );
  expect(covered).toEqual([]);
}

/** Console errors and uncaught exceptions of a page (hydration errors are console errors). */
export function collectConsoleErrors(page: Page) {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}
