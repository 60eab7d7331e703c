import { ChatPage } from "./pages/chat-page";
import { expect, test } from "./fixtures";

// docs/chat-turn.md#replies-that-outlive-the-request in the browser: the reply belongs to the room. CRAWL makes the fake model write
// 100 words, one every 150 ms.

test("a reload mid-reply shows the reply so far and keeps streaming it to the end", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("CRAWL a story to reload", { wait: false });
  await expect(chat.lastBotMessage()).toContainText("word3");
  await page.waitForURL(/\/chat\/\d+$/);
  await page.reload();
  // The question, and the reply picking up where it was, still growing.
  await expect(chat.messages("user")).toHaveText(["CRAWL a story to reload"]);
  await expect(chat.lastBotMessage()).toContainText("word3");
  await expect(chat.lastBotMessage()).not.toContainText("word99");
  await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
  await chat.waitForReply();
  await expect(chat.lastBotMessage()).toContainText("word99");
  await expect(chat.lastBotMessage()).not.toContainText("Stopped");
  await page.reload();
  await expect(chat.messages()).toHaveCount(2);
  await expect(chat.lastBotMessage()).toContainText("word99");
});

test("a tab already open on the room shows a reply started in another tab, without being touched", async ({ page, context, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("first question");
  await page.waitForURL(/\/chat\/\d+$/);
  const second = await context.newPage();
  const other = new ChatPage(second);
  await second.goto(page.url());
  await expect(other.messages()).toHaveCount(2);

  await page.bringToFront();
  await chat.send("CRAWL started in the first tab", { wait: false });
  await expect(other.messages("user").last()).toHaveText("CRAWL started in the first tab", { timeout: 15_000 });
  await expect(other.lastBotMessage()).toContainText("word4", { timeout: 15_000 });
  await chat.waitForReply();
  await expect(other.lastBotMessage()).toContainText("word99");
});

test("a second tab on the same room shows the reply live; Stop in it stops the reply for both", async ({ page, context, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("CRAWL for two tabs", { wait: false });
  await expect(chat.lastBotMessage()).toContainText("word2");
  await page.waitForURL(/\/chat\/\d+$/);

  const second = await context.newPage();
  const other = new ChatPage(second);
  await second.goto(page.url());
  await expect(other.lastBotMessage()).toContainText("word2");
  await expect(other.lastBotMessage()).toContainText("word6"); // still growing in the second tab
  await second.getByRole("button", { name: "Stop" }).click();
  for (const view of [other, chat]) {
    await expect(view.lastBotMessage()).toContainText("Stopped");
    await expect(view.lastBotMessage()).not.toContainText("word99");
    await view.waitForReply();
  }
  await page.reload();
  await expect(chat.messages()).toHaveCount(2);
  await expect(chat.lastBotMessage()).toContainText("Stopped");
});

test("a send whose answer was lost is retried with its Idempotency-Key: stored once", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("first");
  // The server takes the next message and answers it, but the answer never reaches the
  // browser (a dropped connection): the page cannot know the message arrived.
  let cut = true;
  await page.route(/\/messages\/$/, async (route) => {
    if (!cut) return route.continue();
    cut = false;
    await route.fetch();
    await route.abort("connectionreset");
  });
  await chat.send("an answer lost on the way", { wait: false });
  const unsent = chat.messages("user").last();
  await unsent.getByRole("button", { name: "Retry" }).click();
  await chat.waitForReply();
  await expect(chat.lastBotMessage()).toContainText("Echo: an answer lost on the way");
  await page.reload();
  await expect(chat.messages("user")).toHaveText(["first", "an answer lost on the way"]);
  await expect(chat.messages("bot")).toHaveCount(2);
});

test("switching rooms mid-reply and back shows the reply so far, still streaming", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("first room question");
  await chat.newChat();
  await chat.send("CRAWL in the second room", { wait: false });
  await expect(chat.lastBotMessage()).toContainText("word2");
  await page.waitForURL(/\/chat\/\d+$/);
  const second = page.url();
  await chat.roomLink("first room question").click();
  await expect(chat.messages("user")).toHaveText(["first room question"]);
  await page.goBack(); // back to the room still being answered (its title comes at the end)
  await page.waitForURL(second);
  await expect(chat.messages("user")).toHaveText(["CRAWL in the second room"]);
  await expect(chat.lastBotMessage()).toContainText("word5");
  await expect(chat.lastBotMessage()).not.toContainText("word99");
  await chat.waitForReply();
  await expect(chat.lastBotMessage()).toContainText("word99");
});
