import { ChatPage } from "./pages/chat-page";
import { alerts, apiToken, expect, newAccount, restCall, signUp, test } from "./fixtures";

test("send a message and watch the reply stream in; the room appears in the sidebar with its title", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("CRAWL plan a trip", { wait: false });
  await expect(chat.messages("user").last()).toHaveText("CRAWL plan a trip");
  // Streaming: the reply grows word by word before it is complete.
  await expect(chat.lastBotMessage()).toContainText("word3");
  await expect(chat.lastBotMessage()).not.toContainText("word99");
  await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
  await chat.waitForReply();
  await expect(chat.lastBotMessage()).toContainText("word99");
  await expect(page).toHaveURL(/\/chat\/\d+$/);
  await expect(chat.roomLink("CRAWL plan a")).toHaveAttribute("aria-current", "page");
});

test("Stop keeps the partial reply, marked as stopped, also after a reload", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("CRAWL long story", { wait: false });
  await expect(chat.lastBotMessage()).toContainText("word5");
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(chat.lastBotMessage()).toContainText("Stopped");
  await expect(chat.lastBotMessage()).not.toContainText("word99");
  await page.waitForTimeout(500);
  await page.reload();
  await expect(chat.lastBotMessage()).toContainText("Stopped");
  await expect(chat.lastBotMessage()).toContainText("word5");
});

test("Regenerate replaces the last reply instead of adding one", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("first question");
  await chat.send("second question");
  await expect(chat.lastBotMessage()).toContainText("Echo: second question [context: 3 messages]");
  await chat.lastBotMessage().getByRole("button", { name: "Regenerate" }).click();
  await chat.waitForReply();
  await expect(chat.lastBotMessage()).toContainText("Echo: second question [context: 3 messages]");
  await expect(chat.messages()).toHaveCount(4);
  await page.reload();
  await expect(chat.messages()).toHaveCount(4);
});

test("Copy puts the message on the clipboard", async ({ page, context, account: _ }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("copy me please");
  await chat.lastBotMessage().getByRole("button", { name: "Copy" }).click();
  await expect(chat.lastBotMessage().getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("Echo: copy me please [context: 1 messages]");
});

test("Shift+Enter adds a line; Enter sends", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.composer.fill("line one");
  await chat.composer.press("Shift+Enter");
  await chat.composer.pressSequentially("line two");
  await expect(chat.messages()).toHaveCount(0);
  await chat.composer.press("Enter");
  await chat.waitForReply();
  await expect(chat.messages("user").first()).toHaveText("line one\nline two");
});

test("HTML in a message is shown as text, never run", async ({ page, account: _ }) => {
  let dialogs = 0;
  page.on("dialog", (dialog) => {
    dialogs += 1;
    void dialog.dismiss();
  });
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("<img src=x onerror=alert(1)>");
  await expect(chat.messages("user").last()).toHaveText("<img src=x onerror=alert(1)>");
  await expect(chat.lastBotMessage()).toContainText("<img src=x onerror=alert(1)>");
  await expect(page.locator("article img")).toHaveCount(0);
  expect(dialogs).toBe(0);
});

test("Markdown and code are rendered, with highlighting", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("**bold** and\n\n```js\nconst answer = 42;\n```");
  await expect(chat.lastBotMessage().locator("strong")).toHaveText("bold");
  await expect(chat.lastBotMessage().locator("pre code.hljs")).toBeVisible();
});

test("when the model is down the error is shown and the typed text is kept", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("please FAIL this");
  await expect(alerts(page)).toContainText("The model could not answer");
  await expect(chat.composer).toHaveValue("please FAIL this");
});

test("older messages load when scrolling up", async ({ page, account }) => {
  test.slow(); // 30 turns are seeded through the API first
  const token = await apiToken(account);
  const room = (await restCall(token, "POST", "/room/", { title: "Long room" })).json;
  for (let i = 1; i <= 30; i++) {
    expect((await restCall(token, "POST", `/room/${room.id}/messages/`, { message: `message number ${i}` })).status).toBe(201);
  }
  const chat = new ChatPage(page);
  await page.goto(`/chat/${room.id}`);
  // 60 logs: the newest 50 are rendered first.
  await expect(chat.messages()).toHaveCount(50);
  await expect(page.getByText("message number 5", { exact: true })).toHaveCount(0);
  await page.locator("article[data-role]").first().scrollIntoViewIfNeeded();
  await page.mouse.wheel(0, -5000);
  await expect(chat.messages()).toHaveCount(60);
  await expect(page.getByText("message number 1", { exact: true })).toBeVisible();
});

test("a second user sees none of the first user's rooms", async ({ browser }) => {
  const first = await browser.newPage();
  await signUp(first, newAccount("first"));
  const chatA = new ChatPage(first);
  await chatA.newChat();
  await chatA.send("secret plans of the first user");
  const roomId = chatA.currentRoomId();

  const second = await (await browser.newContext()).newPage();
  await signUp(second, newAccount("second"));
  await expect(second.locator("#sidebar")).not.toContainText("secret plans");
  await second.goto(`/chat/${roomId}`);
  await expect(second.getByRole("heading", { name: "This chat does not exist." })).toBeVisible();
  await expect(second.getByText("secret plans of the first user")).toHaveCount(0);
});
