import { ChatPage } from "./pages/chat-page";
import { collectConsoleErrors, expect, newAccount, signUp, test } from "./fixtures";

test("an unknown URL shows the app's own 404 in the user's language, with a way back", async ({ browser }) => {
  for (const [locale, heading, back] of [
    ["en-US", "Page not found", "Back to chat"],
    ["ko-KR", "페이지를 찾을 수 없습니다", "채팅으로 돌아가기"],
  ] as const) {
    const context = await browser.newContext({ locale, colorScheme: "dark" });
    const page = await context.newPage();
    const response = await page.goto("/no/such/page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
    await expect(page.locator("html")).toHaveAttribute("lang", locale.slice(0, 2));
    await expect(page.locator("html")).toHaveClass(/dark/);
    await page.getByRole("link", { name: back }).click();
    await expect(page).toHaveURL(/\/sign-in/); // signed out: the way back leads through sign-in
    await context.close();
  }
});

test("sign-in, chat, settings and the 404 page log no console error (Korean, Seoul time, dark)", async ({ browser }) => {
  const context = await browser.newContext({ locale: "ko-KR", timezoneId: "Asia/Seoul", colorScheme: "dark" });
  const page = await context.newPage();
  const errors = collectConsoleErrors(page);
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "로그인" })).toBeVisible();
  await page.goto("/sign-up");
  await context.addCookies([{ name: "lang", value: "en", url: page.url() }]); // the sign-up helper reads English labels
  await signUp(page, newAccount("console"));
  await context.addCookies([{ name: "lang", value: "ko", url: page.url() }]);
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("```js\nconst a = 1;\n```\n\n안녕");
  await page.reload();
  await expect(chat.lastBotMessage()).toContainText("안녕");
  await page.goto("/settings");
  await page.getByLabel("토큰 이름").fill("console");
  await page.getByRole("button", { name: "토큰 만들기" }).click();
  await expect(page.getByTestId("new-token")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("row", { name: /console/ })).toBeVisible();
  const notFound = await page.goto("/nothing-here");
  expect(notFound?.status()).toBe(404);
  // The 404's own document load is the one expected failure in the console.
  expect(errors.filter((e) => !/Failed to load resource: the server responded with a status of 404/.test(e))).toEqual([]);
  await context.close();
});
