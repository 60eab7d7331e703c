import AxeBuilder from "@axe-core/playwright";
import { ChatPage } from "./pages/chat-page";
import { expect, test } from "./fixtures";

async function audit(page: import("@playwright/test").Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

test("sign-in and sign-up pages have no serious accessibility violations", async ({ page }) => {
  await page.goto("/sign-in");
  expect(await audit(page)).toEqual([]);
  await page.goto("/sign-up");
  expect(await audit(page)).toEqual([]);
});

for (const scheme of ["light", "dark"] as const) {
  test(`chat and settings pages have no serious accessibility violations (${scheme})`, async ({ page, account: _ }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const chat = new ChatPage(page);
    await chat.newChat();
    expect(await audit(page)).toEqual([]);
    await chat.send("**hello** with `code`");
    expect(await audit(page)).toEqual([]);
    await page.goto("/settings");
    expect(await audit(page)).toEqual([]);
  });
}

for (const scheme of ["light", "dark"] as const) {
  test(`the new states have no serious accessibility violations: an error under a message, a room menu open, the 404 page (${scheme})`, async ({ page, account: _ }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const chat = new ChatPage(page);
    await chat.newChat();
    await chat.send("please FAIL this");
    await expect(chat.messages("user").last().getByRole("button", { name: "Retry" })).toBeVisible();
    expect(await audit(page)).toEqual([]);
    await chat.openRoomMenu("New chat"); // no reply, so no title yet
    expect(await audit(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await chat.send("Code:\n\n```ts\nconst answer: number = 42;\n```\n\ndone");
    await expect(chat.lastBotMessage().locator(".code-block .hljs-keyword").first()).toBeVisible();
    expect(await audit(page)).toEqual([]);
    await page.goto("/no-such-page");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await audit(page)).toEqual([]);
  });
}
