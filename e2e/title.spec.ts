import { ChatPage } from "./pages/chat-page";
import { expect, test } from "./fixtures";

/**
 * Every page, in every state, has a title (axe `document-title`; screen readers announce it).
 * A recorder watches the document once it is parsed: any moment the title is missing or
 * empty — e.g. while a navigation or refresh streams new metadata in — is noted.
 */
test("the document always has a title: new chat, first message, reply, reload, settings", async ({ page, account: _ }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __untitled: string[] };
    w.__untitled = [];
    const check = () => {
      if (document.readyState === "loading") return; // still parsing the page's own HTML
      if (!document.title.trim()) w.__untitled.push(`${location.pathname} at ${Math.round(performance.now())} ms`);
    };
    // Checked once the change has settled (after every observer of it ran), i.e. as the
    // browser would render it or a screen reader read it.
    new MutationObserver(() => queueMicrotask(check)).observe(document, { subtree: true, childList: true, characterData: true });
    document.addEventListener("DOMContentLoaded", check);
  });
  const untitled = () => page.evaluate(() => (window as unknown as { __untitled: string[] }).__untitled);

  const chat = new ChatPage(page);
  await chat.newChat();
  await expect(page).toHaveTitle(/AInfo Chat/);
  await chat.send("a title for every state");
  await expect(page).toHaveURL(/\/chat\/\d+/);
  // The room's own title once the first exchange named it.
  await expect(page).toHaveTitle(/^a title for · AInfo Chat$/);
  expect(await untitled()).toEqual([]);

  await chat.send("and a second message");
  expect(await untitled()).toEqual([]);

  await page.reload();
  await expect(page).toHaveTitle(/^a title for · AInfo Chat$/);
  expect(await untitled()).toEqual([]);

  await page.locator('#sidebar a[href="/settings"]').click();
  await expect(page).toHaveURL(/\/settings/);
  await expect(page).toHaveTitle(/AInfo Chat/);
  expect(await untitled()).toEqual([]);
});
