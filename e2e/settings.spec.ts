import { ChatPage } from "./pages/chat-page";
import { apiToken, collectConsoleErrors, expect, newAccount, restCall, signUp, stackDetails, test } from "./fixtures";
import { formatDateTime } from "../lib/i18n/format";

test("API tokens: created and shown once, usable, listed with last use, revoked", async ({ page, context, account: _ }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/settings");
  await expect(page.getByText("No tokens yet.")).toBeVisible();
  await page.getByLabel("Token name").fill("my script");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!;
  expect(token).toMatch(/^ainfo_/);
  await page.getByRole("button", { name: "Copy" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

  const api = (t: string) => fetch(`${stackDetails().baseUrl}/api/chatbot/room/`, { headers: { authorization: `Bearer ${t}` } });
  expect((await api(token)).status).toBe(200);
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0); // shown once
  const row = page.getByRole("row", { name: /my script/ });
  await expect(row).toBeVisible();
  await expect(row).not.toContainText("Never");

  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: "Revoke my script" }).click();
  await expect(page.getByRole("row", { name: /my script/ })).toHaveCount(0);
  expect((await api(token)).status).toBe(401);
});

test("language switch: 한국어 and back to English, checked at once while it is saved", async ({ page, account: _ }) => {
  await page.goto("/settings");
  // Hold the server action, to see what the user sees while it runs.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/settings", async (route) => {
    if (route.request().method() === "POST") await held;
    await route.fallback();
  });
  await page.getByRole("radio", { name: "한국어" }).click();
  await expect(page.getByRole("radio", { name: "한국어" })).toBeChecked();
  await expect(page.getByRole("status").filter({ hasText: "Saving…" })).toBeVisible();
  release();
  await expect(page.getByRole("heading", { name: "설정" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "ko");
  await page.unroute("**/settings");
  await page.goto("/chat");
  await expect(page.getByRole("link", { name: "새 채팅" })).toBeVisible();
  await page.goto("/settings");
  await page.getByRole("radio", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  await expect(page.getByRole("radio", { name: "English" })).toBeChecked();
});

test("token dates are shown in the browser's time zone and language, with no hydration error", async ({ browser }) => {
  const context = await browser.newContext({ timezoneId: "Asia/Seoul", locale: "en-US" });
  const page = await context.newPage();
  const errors = collectConsoleErrors(page);
  const account = await signUp(page, newAccount("zone"));
  const token = await apiToken(account);
  const [listed] = (await restCall(token, "GET", "/auth/tokens/")).json as { created_at: string }[];
  await page.goto("/settings");
  const row = page.getByRole("row", { name: /e2e/ });
  await expect(row).toContainText(formatDateTime(listed!.created_at, "en", "Asia/Seoul"));
  await page.reload();
  await expect(row).toContainText(formatDateTime(listed!.created_at, "en", "Asia/Seoul"));
  // The header is code, not text in backticks.
  await expect(page.locator("#tokens-heading ~ p code")).toHaveText("Authorization: Bearer <token>");
  await expect(page.locator("#tokens-heading ~ p")).not.toContainText("`");
  expect(errors).toEqual([]);
  await context.close();
});

test("the language follows the browser by default", async ({ browser }) => {
  const context = await browser.newContext({ locale: "ko-KR" });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "로그인" })).toBeVisible();
  await context.close();
});

test("theme switch: dark, light, and system", async ({ page, account: _ }) => {
  await page.goto("/settings");
  await page.getByRole("radio", { name: "Dark" }).check();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.goto("/chat");
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.goto("/settings");
  await page.getByRole("radio", { name: "Light" }).check();
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.getByRole("radio", { name: "System" }).check();
  await expect(page.locator("html")).toHaveClass(/dark/);
});

test("at phone width the sidebar is a drawer", async ({ page, account: _ }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("from my phone");
  await expect(chat.sidebar).not.toBeInViewport();
  await page.getByRole("button", { name: "Open sidebar" }).click();
  await expect(chat.sidebar).toBeInViewport();
  await expect(chat.roomLink("from my phone")).toBeVisible();
  await page.getByRole("button", { name: "Close sidebar" }).click();
  await expect(chat.sidebar).not.toBeInViewport();
  // A tap on the dimmed page beside the drawer closes it too.
  await page.getByRole("button", { name: "Open sidebar" }).click();
  await expect(chat.sidebar).toBeInViewport();
  await page.mouse.click(370, 400);
  await expect(chat.sidebar).not.toBeInViewport();
  await page.getByRole("button", { name: "Open sidebar" }).click();
  await chat.sidebar.getByRole("link", { name: "New chat" }).click();
  await expect(page).toHaveURL(/\/chat$/);
  await expect(chat.sidebar).not.toBeInViewport();
});

test("keyboard: the room menu follows the WAI-ARIA menu pattern", async ({ page, account }) => {
  const token = await apiToken(account);
  for (const title of ["other room", "keyboard room"]) await restCall(token, "POST", "/room/", { title });
  const chat = new ChatPage(page);
  await chat.newChat();
  const button = chat.roomMenuButton("keyboard room");
  const rename = page.getByRole("menuitem", { name: "Rename" });
  const remove = page.getByRole("menuitem", { name: "Delete" });
  await chat.roomLink("keyboard room").focus();
  await page.keyboard.press("Tab");
  await expect(button).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(rename).toBeFocused();
  await expect(button).toHaveAttribute("aria-expanded", "true");
  // Rename is the first item and Delete the last; others (Export…) sit between them.
  const second = page.getByRole("menuitem").nth(1);
  for (const [key, item] of [["ArrowUp", remove], ["ArrowDown", rename], ["ArrowDown", second], ["ArrowUp", rename], ["End", remove], ["Home", rename], ["End", remove]] as const) {
    await page.keyboard.press(key);
    await expect(item).toBeFocused();
  }
  await page.keyboard.press("Escape");
  await expect(page.getByRole("menu")).toHaveCount(0);
  await expect(button).toBeFocused();
  // ↑ on the button opens the menu on its last item; the delete dialog returns focus too.
  await page.keyboard.press("ArrowUp");
  await expect(remove).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("dialog", { name: "Delete chat?" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(button).toBeFocused();
  // ↓ opens on the first item; Tab closes the menu and moves on.
  await page.keyboard.press("ArrowDown");
  await expect(rename).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("menu")).toHaveCount(0);
  await expect(chat.roomLink("keyboard room")).toBeVisible();
});

test("at phone width the token list fits the screen, Revoke included", async ({ page, account }) => {
  const token = await apiToken(account);
  await restCall(token, "GET", "/room/"); // a last-used date, the widest row
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/settings");
  const revoke = page.getByRole("row", { name: /e2e/ }).getByRole("button", { name: "Revoke e2e" });
  await expect(revoke).toBeInViewport({ ratio: 1 });
  expect(await page.locator("table").evaluate((table) => table.scrollWidth <= table.parentElement!.clientWidth)).toBe(true);
});
