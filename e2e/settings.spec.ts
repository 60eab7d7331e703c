import { ChatPage } from "./pages/chat-page";
import { expect, stackDetails, test } from "./fixtures";

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

test("language switch: 한국어 and back to English", async ({ page, account: _ }) => {
  await page.goto("/settings");
  await page.getByRole("radio", { name: "한국어" }).click();
  await expect(page.getByRole("heading", { name: "설정" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "ko");
  await page.goto("/chat");
  await expect(page.getByRole("link", { name: "새 채팅" })).toBeVisible();
  await page.goto("/settings");
  await page.getByRole("radio", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
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
  await page.keyboard.press("Escape");
  await expect(chat.sidebar).not.toBeInViewport();
  await page.getByRole("button", { name: "Open sidebar" }).click();
  await chat.sidebar.getByRole("link", { name: "New chat" }).click();
  await expect(page).toHaveURL(/\/chat$/);
  await expect(chat.sidebar).not.toBeInViewport();
});

test("keyboard: the composer and the room menu are reachable and operable with keys", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("keyboard room");
  await chat.roomLink("keyboard room").focus();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Options for keyboard room" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("menuitem", { name: "Rename" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("menu")).toHaveCount(0);
});
