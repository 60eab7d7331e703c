import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { ChatPage } from "./pages/chat-page";
import { expect, test } from "./fixtures";

// SPEC §11 Edit and Feedback in the browser (docs/ui.md#chat-view). The fake model answers
// `Echo: <message> [context: N messages]`, N counting the messages it was sent.

/** Opens the inline editor of a user message the way a person does: point at it, click Edit. */
async function openEditor(chat: ChatPage, index: number) {
  const message = chat.messages("user").nth(index);
  await message.hover();
  await message.getByRole("button", { name: "Edit message" }).click();
  const editor = chat.page.getByRole("textbox", { name: "Edit your message" });
  await expect(editor).toBeFocused();
  return editor;
}

/** Clicks a feedback button and waits for the server to have it (a reload right after must see it). */
async function clickAndSave(page: Page, button: ReturnType<Page["getByRole"]>, method: "PUT" | "DELETE") {
  await Promise.all([
    page.waitForResponse((res) => res.url().includes("/feedback/") && res.request().method() === method && res.ok()),
    button.click(),
  ]);
}

test("edit a message inline: the new answer replaces the later messages, also after a reload", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("first question");
  await chat.send("second question");
  await expect(chat.messages()).toHaveCount(4);

  const editor = await openEditor(chat, 0);
  await expect(editor).toHaveValue("first question");
  await editor.fill("first question, rephrased");
  await chat.messages("user").first().getByRole("button", { name: "Save" }).click();

  await chat.waitForReply();
  await expect(chat.messages()).toHaveCount(2);
  await expect(chat.messages("user").first()).toHaveText("first question, rephrased");
  // The model saw only the edited question: the second exchange is gone from its context too.
  await expect(chat.lastBotMessage()).toContainText("Echo: first question, rephrased [context: 1 messages]");
  await expect(page.getByText("second question")).toHaveCount(0);

  await page.reload();
  await expect(chat.messages()).toHaveCount(2);
  await expect(chat.messages("user").first()).toHaveText("first question, rephrased");
  await expect(chat.lastBotMessage()).toContainText("Echo: first question, rephrased [context: 1 messages]");
  await expect(page.getByText("second question")).toHaveCount(0);
});

test("Escape cancels an edit and gives focus back to Edit; Ctrl+Enter saves", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("keep this");
  await chat.send("and this");

  let editor = await openEditor(chat, 1);
  await editor.fill("something else");
  await editor.press("Escape");
  await expect(editor).toHaveCount(0);
  await expect(chat.messages("user").nth(1)).toHaveText("and this");
  await expect(chat.messages("user").nth(1).getByRole("button", { name: "Edit message" })).toBeFocused();
  await expect(chat.messages()).toHaveCount(4);

  editor = await openEditor(chat, 1);
  await editor.fill("and this, edited");
  await editor.press("Control+Enter");
  await chat.waitForReply();
  await expect(chat.messages()).toHaveCount(4);
  await expect(chat.messages("user").nth(1)).toHaveText("and this, edited");
  await expect(chat.lastBotMessage()).toContainText("Echo: and this, edited [context: 3 messages]");
});

test("👍 stays pressed after a reload; 👎 takes a comment, shown on the reply; pressing again clears", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("rate this answer");
  const reply = chat.lastBotMessage();
  const up = () => reply.getByRole("button", { name: "Good reply" });
  const down = () => reply.getByRole("button", { name: "Bad reply" });
  await expect(up()).toHaveAttribute("aria-pressed", "false");

  await clickAndSave(page, up(), "PUT");
  await expect(up()).toHaveAttribute("aria-pressed", "true");
  await page.reload();
  await expect(up()).toHaveAttribute("aria-pressed", "true");
  await expect(down()).toHaveAttribute("aria-pressed", "false");

  await clickAndSave(page, down(), "PUT");
  await expect(down()).toHaveAttribute("aria-pressed", "true");
  await expect(up()).toHaveAttribute("aria-pressed", "false");
  const comment = reply.getByRole("textbox", { name: "What was wrong? (optional)" });
  await expect(comment).toBeFocused();
  await comment.fill("Too short, no sources.");
  await clickAndSave(page, reply.getByRole("button", { name: "Send feedback" }), "PUT");
  await expect(comment).toHaveCount(0);
  await expect(reply).toContainText("“Too short, no sources.”");

  await page.reload();
  await expect(down()).toHaveAttribute("aria-pressed", "true");
  await expect(reply).toContainText("“Too short, no sources.”");

  await clickAndSave(page, down(), "DELETE");
  await expect(down()).toHaveAttribute("aria-pressed", "false");
  await expect(reply).not.toContainText("Too short");
  await page.reload();
  await expect(down()).toHaveAttribute("aria-pressed", "false");
  await expect(up()).toHaveAttribute("aria-pressed", "false");
});

for (const scheme of ["light", "dark"] as const) {
  test(`the editor and the 👎 comment field have no serious accessibility violations (${scheme})`, async ({ page, account: _ }) => {
    const audit = async () =>
      (await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze()).violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
    await page.emulateMedia({ colorScheme: scheme });
    const chat = new ChatPage(page);
    await chat.newChat();
    await chat.send("audit me");
    await clickAndSave(page, chat.lastBotMessage().getByRole("button", { name: "Bad reply" }), "PUT");
    await expect(chat.lastBotMessage().getByRole("textbox", { name: "What was wrong? (optional)" })).toBeVisible();
    await openEditor(chat, 0);
    expect(await audit()).toEqual([]);
  });
}
