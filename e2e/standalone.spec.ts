import { test as base } from "@playwright/test";
import { startStack, type Stack } from "../tests/support/stack";
import { signUp, expect } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

/**
 * The Docker image's server in a browser: `node server.js` from a copy of `.next/standalone`
 * with its static files, as the Dockerfile lays it out (tests/support/stack.ts). Scripts,
 * styles and server actions must all come from that copy for this story to work.
 */
const test = base.extend<object, { standalone: Stack }>({
  standalone: [
    async ({}, use) => {
      const stack = await startStack({ server: "standalone" });
      await use(stack);
      await stack.stop();
    },
    { scope: "worker", timeout: 180_000 },
  ],
  baseURL: async ({ standalone }, use) => use(standalone.baseUrl),
});

test("the standalone server: sign up, start a chat, get the model's reply", async ({ page }) => {
  await signUp(page);
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("hello from the image");
  await expect(chat.lastBotMessage()).toContainText("Echo: hello from the image [context: 1 messages]");
  await expect(page).toHaveURL(/\/chat\/\d+$/);
  await page.reload();
  await expect(chat.lastBotMessage()).toContainText("Echo: hello from the image");
});
