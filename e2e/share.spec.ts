import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import { ChatPage } from "./pages/chat-page";
import { apiToken, collectConsoleErrors, expect, restCall, test, type Account } from "./fixtures";

/** docs/ui.md#sidebar (Share in the room menu) and docs/ui.md#shared-chats (/s/<token>). */

/** A room with one exchange, made through the API; the page then opens it. */
async function seededRoom(page: Page, account: Account, title: string, message: string) {
  const token = await apiToken(account);
  const room = await restCall(token, "POST", "/room/", { title });
  expect(room.status).toBe(201);
  expect((await restCall(token, "POST", `/room/${room.json.id}/messages/`, { message })).status).toBe(201);
  await page.goto(`/chat/${room.json.id}`);
  return { token, id: room.json.id as number };
}

async function openShareDialog(page: Page, title: string) {
  const chat = new ChatPage(page);
  await chat.openRoomMenu(title);
  await page.getByRole("menuitem", { name: "Share" }).click();
  const dialog = page.getByRole("dialog", { name: `Share “${title}”` });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** A browser with no cookies at all: someone the link was sent to. */
async function visitor(browser: Browser, options: Parameters<Browser["newContext"]>[0] = {}) {
  const context = await browser.newContext({ locale: "en-US", ...options });
  expect(await context.cookies()).toEqual([]);
  return { context, page: await context.newPage() };
}

async function audit(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

test("share a chat from its menu, copy the link, read it signed out, stop sharing", async ({ page, context, browser, account }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await seededRoom(page, account, "Jeju plans", "Plan a **3-day** trip to Jeju");

  const dialog = await openShareDialog(page, "Jeju plans");
  await expect(dialog.getByRole("textbox", { name: "Share link" })).toHaveCount(0);
  await dialog.getByRole("button", { name: "Create link" }).click();
  const linkBox = dialog.getByRole("textbox", { name: "Share link" });
  await expect(linkBox).toHaveValue(/^http:\/\/localhost:\d+\/s\/[A-Za-z0-9_-]{22}$/);
  const link = await linkBox.inputValue();
  await dialog.getByRole("button", { name: "Copy link" }).click();
  await expect(dialog.getByRole("button", { name: "Link copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

  const guest = await visitor(browser);
  const errors = collectConsoleErrors(guest.page); // CSP violations and hydration errors are console errors
  const opened = await guest.page.goto(link);
  expect(opened?.status()).toBe(200);
  await expect(guest.page.getByRole("heading", { level: 1, name: "Jeju plans" })).toBeVisible();
  await expect(guest.page.getByText(/^Shared conversation · /)).toBeVisible();
  await expect(guest.page.getByRole("article", { name: "User" })).toHaveText("Plan a **3-day** trip to Jeju");
  const reply = guest.page.getByRole("article", { name: "AInfo" });
  await expect(reply.locator("strong")).toHaveText("3-day"); // the bot's Markdown
  await expect(guest.page.locator('meta[name="robots"]')).toHaveAttribute("content", "noindex, nofollow");
  await expect(guest.page.locator('meta[property="og:title"]')).toHaveAttribute("content", "Jeju plans");
  await expect(guest.page.getByRole("link", { name: "Sign up free" }).first()).toHaveAttribute("href", "/sign-up");
  expect(await guest.page.getByRole("textbox").count()).toBe(0); // read-only: no composer
  expect(errors).toEqual([]);

  await dialog.getByRole("button", { name: "Stop sharing" }).click();
  await expect(dialog.getByRole("status")).toHaveText("The link no longer works.");
  await expect(dialog.getByRole("button", { name: "Create link" })).toBeVisible();
  const reloaded = await guest.page.reload();
  expect(reloaded?.status()).toBe(404);
  await expect(guest.page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(guest.page.getByText("Plan a **3-day** trip to Jeju")).toHaveCount(0);

  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
  await expect(new ChatPage(page).roomMenuButton("Jeju plans")).toBeFocused();
  await guest.context.close();
});

test("the dialog shows an existing link; Update link publishes the chat as it is now and retires the old link", async ({ page, browser, account }) => {
  const room = await seededRoom(page, account, "Moving target", "the first question");
  const first = await restCall(room.token, "POST", `/room/${room.id}/share/`);
  expect(first.status).toBe(201);
  expect((await restCall(room.token, "POST", `/room/${room.id}/messages/`, { message: "a second question" })).status).toBe(201);

  const dialog = await openShareDialog(page, "Moving target");
  const linkBox = dialog.getByRole("textbox", { name: "Share link" });
  await expect(linkBox).toHaveValue(new RegExp(`${first.json.url}$`));
  await expect(dialog).toContainText(/Shared on .+\. Later messages are not in it\./);

  const guest = await visitor(browser);
  await guest.page.goto(first.json.url);
  const questions = guest.page.getByRole("article", { name: "User" });
  await expect(questions).toHaveText(["the first question"]);

  await dialog.getByRole("button", { name: "Update link" }).click();
  await expect(linkBox).not.toHaveValue(new RegExp(`${first.json.url}$`));
  const renewed = await linkBox.inputValue();
  expect((await guest.page.reload())?.status()).toBe(404);
  await guest.page.goto(renewed);
  await expect(questions).toHaveText(["the first question", "a second question"]);
  await guest.context.close();
});

for (const scheme of ["light", "dark"] as const) {
  test(`a shared chat on a phone (390 px, ${scheme}): shared from the drawer, readable without sideways scrolling, accessible`, async ({ page, browser, account }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: scheme });
    await seededRoom(page, account, "Phone share", "A long question with a long-unbroken-word-that-must-wrap-somewhere-on-a-narrow-screen-for-sure and a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |");
    await page.getByRole("button", { name: "Open sidebar" }).click();
    const dialog = await openShareDialog(page, "Phone share");
    await dialog.getByRole("button", { name: "Create link" }).click();
    const link = await dialog.getByRole("textbox", { name: "Share link" }).inputValue();
    await expect(dialog).toBeInViewport({ ratio: 1 });
    expect(await audit(page)).toEqual([]);

    const guest = await visitor(browser, { viewport: { width: 390, height: 844 }, colorScheme: scheme, isMobile: true, hasTouch: true });
    await guest.page.goto(link);
    await expect(guest.page.getByRole("heading", { level: 1, name: "Phone share" })).toBeVisible();
    await expect(guest.page.locator("html")).toHaveClass(new RegExp(scheme));
    const overflow = await guest.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    expect(await audit(guest.page)).toEqual([]);
    await guest.context.close();
  });
}
