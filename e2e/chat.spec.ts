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

test("HTML in a message is shown as text, never run, in prose and in code blocks", async ({ page, account: _ }) => {
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
  await chat.send("Code:\n\n```html\n<img src=x onerror=alert(2)><script>alert(3)</script>\n```\n\nend");
  await expect(chat.lastBotMessage().locator("pre code")).toHaveText("<img src=x onerror=alert(2)><script>alert(3)</script>");
  await expect(chat.lastBotMessage().locator("code .hljs-tag").first()).toBeVisible();
  await expect(page.locator("article img, article script")).toHaveCount(0);
  expect(dialogs).toBe(0);
});

test("Markdown and code are rendered, with highlighting", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("**bold** and\n\n```js\nconst answer = 42;\n```");
  await expect(chat.lastBotMessage().locator("strong")).toHaveText("bold");
  await expect(chat.lastBotMessage().locator("pre code.hljs")).toBeVisible();
});

test("a failed reply is shown under the message with Retry; the text is not also put back in the box", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("please FAIL this");
  const question = chat.messages("user").last();
  await expect(question).toContainText("please FAIL this");
  await expect(question.getByRole("alert")).toContainText("The model could not answer");
  await expect(chat.composer).toHaveValue("");
  await expect(chat.messages("bot")).toHaveCount(0);
  // The message was stored: Retry asks for the reply again (regenerate), it does not resend it.
  const regenerated = page.waitForRequest((r) => r.method() === "POST" && /\/regenerate\/$/.test(r.url()));
  await question.getByRole("button", { name: "Retry" }).click();
  await regenerated;
  await chat.waitForReply();
  await expect(chat.messages("user")).toHaveCount(1);
  await expect(chat.messages("user").last().getByRole("alert")).toContainText("The model could not answer");
  await page.reload();
  await expect(chat.messages("user")).toHaveCount(1);
  await expect(chat.messages("user").last()).toContainText("please FAIL this");
});

test("offline: the unsent message waits under an error and Retry sends it once back online", async ({ page, context, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("first, while online");
  await context.setOffline(true);
  await chat.send("sent while offline");
  const unsent = chat.messages("user").last();
  await expect(unsent.getByRole("alert")).toContainText("You are offline");
  await expect(chat.composer).toHaveValue("");
  await context.setOffline(false);
  await unsent.getByRole("button", { name: "Retry" }).click();
  await chat.waitForReply();
  await expect(chat.lastBotMessage()).toContainText("Echo: sent while offline [context: 3 messages]");
  await expect(chat.messages("user")).toHaveCount(2);
  await expect(alerts(page)).toHaveCount(0);
});

test("a new chat is in the sidebar, highlighted, while its first reply is still streaming", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("CRAWL a brand new chat", { wait: false });
  await expect(page).toHaveURL(/\/chat\/\d+$/);
  await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
  // Stored as 새 채팅 (docs/data-model.md#migrations), shown in the user's language until the reply names it.
  const link = chat.sidebar.getByRole("navigation", { name: "Chats" }).getByRole("link", { name: "New chat", exact: true });
  await expect(link).toHaveAttribute("aria-current", "page");
  await expect(chat.lastBotMessage()).not.toContainText("word99");
  await chat.waitForReply();
  await expect(chat.roomLink("CRAWL a brand")).toHaveAttribute("aria-current", "page");
});

test("code blocks: a language label, Copy code, and highlighting; prose wraps Korean at words", async ({ page, context, account: _ }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("여러 줄의 한국어 문장은 단어 단위로 줄을 바꿉니다.\n\n```python\nprint('hi')\n```\n\n끝.");
  const block = chat.lastBotMessage().locator(".code-block");
  await expect(block).toContainText("python");
  await expect(block.locator("code .hljs-built_in, code .hljs-string").first()).toBeVisible();
  await block.getByRole("button", { name: "Copy code" }).click();
  await expect(block.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("print('hi')");
  for (const text of [chat.messages("user").last().getByText(/^여러 줄의/).last(), chat.lastBotMessage().getByText(/^Echo: 여러 줄의/).last()]) {
    expect(await text.evaluate((el) => getComputedStyle(el).wordBreak)).toBe("keep-all");
  }
});

test("while a reply streams, the cursor sits at the end of its last line", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("CRAWL cursor please", { wait: false });
  const reply = chat.lastBotMessage().locator(".markdown");
  await expect(reply).toContainText("word3");
  const cursor = await reply.evaluate((el) => {
    const last = el.lastElementChild!;
    const after = getComputedStyle(last, "::after");
    return { tag: last.tagName, content: after.content, display: after.display, siblings: el.parentElement!.children.length };
  });
  // The cursor is the last paragraph's inline ::after, not a block of its own after the text.
  expect(cursor).toEqual({ tag: "P", content: '""', display: "inline-block", siblings: 1 });
  await chat.waitForReply();
  expect(await reply.evaluate((el) => getComputedStyle(el.lastElementChild!, "::after").content)).toBe("none");
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

test("on a phone the placeholder fits one line; Enter adds a line and the Send button sends", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await signUp(page, newAccount("phone"));
  const chat = new ChatPage(page);
  await chat.newChat();
  const placeholder = (await chat.composer.getAttribute("placeholder"))!;
  expect(placeholder).not.toMatch(/Shift|Enter/);
  // The placeholder's width in the composer's font against the room the composer gives it.
  const fits = await chat.composer.evaluate((el: HTMLTextAreaElement) => {
    const style = getComputedStyle(el);
    const probe = document.createElement("span");
    probe.style.cssText = `position:absolute;visibility:hidden;white-space:nowrap;font:${style.font};letter-spacing:${style.letterSpacing}`;
    probe.textContent = el.placeholder;
    document.body.append(probe);
    const width = probe.getBoundingClientRect().width;
    probe.remove();
    return width <= el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  });
  expect(fits).toBe(true);
  await chat.composer.tap();
  await chat.composer.pressSequentially("line one");
  await chat.composer.press("Enter");
  await chat.composer.pressSequentially("line two");
  await expect(chat.composer).toHaveValue("line one\nline two");
  await expect(chat.messages()).toHaveCount(0);
  await page.getByRole("button", { name: "Send" }).tap();
  await chat.waitForReply();
  await expect(chat.messages("user").first()).toHaveText("line one\nline two");
  await context.close();
});
