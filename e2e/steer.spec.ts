import AxeBuilder from "@axe-core/playwright";
import { ChatPage } from "./pages/chat-page";
import { collectConsoleErrors, expect, test } from "./fixtures";

/**
 * SPEC §11, as a user steers a chat (docs/ui.md#chat-settings): the model picker by the
 * composer, the chat settings dialog (system prompt, model), and the usage in Settings. The
 * e2e server allows two models, "fake-model" (the default) and "fake-large"; the fake model
 * answers `WHOAMI` with the model and system prompt it was sent.
 */
const DEFAULT_PROMPT = "You are AInfo, a helpful assistant. Answer in the language of the user's message.";

test("the model picked for a new chat answers it, and stays picked after a reload", async ({ page, account: _ }) => {
  const errors = collectConsoleErrors(page);
  const chat = new ChatPage(page);
  await chat.newChat();
  const picker = page.getByRole("combobox", { name: "Model" });
  await expect(picker).toHaveValue("fake-model");
  await expect(picker.getByRole("option")).toHaveText(["fake-model (default)", "fake-large"]);

  await picker.selectOption("fake-large");
  await chat.send("WHOAMI");
  await expect(page).toHaveURL(/\/chat\/\d+/);
  await expect(chat.lastBotMessage()).toContainText(`Model: fake-large. System: ${DEFAULT_PROMPT}`);

  await page.reload();
  await expect(page.getByRole("combobox", { name: "Model" })).toHaveValue("fake-large");

  // Back to the default, in a chat that exists: the next reply is the default model's.
  await page.getByRole("combobox", { name: "Model" }).selectOption("fake-model");
  await chat.send("WHOAMI again");
  await expect(chat.lastBotMessage()).toContainText("Model: fake-model.");
  await page.reload();
  await expect(page.getByRole("combobox", { name: "Model" })).toHaveValue("fake-model");
  expect(errors).toEqual([]);
});

test("a system prompt set in the chat settings answers the chat, is there after a reload, and resets to the default", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("hello there");
  await expect(page).toHaveURL(/\/chat\/\d+/);
  await expect(page.getByRole("heading", { level: 1, name: "hello there" })).toBeVisible();

  await page.getByRole("button", { name: "Chat settings" }).click();
  const dialog = page.getByRole("dialog", { name: "Chat settings" });
  await expect(dialog).toBeVisible();
  const prompt = dialog.getByRole("textbox", { name: "System prompt" });
  await expect(prompt).toHaveValue("");
  await prompt.fill("Answer like a pirate.");
  await expect(dialog.getByText("21 / 4,000 characters")).toBeVisible();
  await dialog.getByRole("combobox", { name: "Model" }).selectOption("fake-large");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("combobox", { name: "Model" })).toHaveValue("fake-large");

  await chat.send("WHOAMI");
  await expect(chat.lastBotMessage()).toContainText("Model: fake-large. System: Answer like a pirate.");

  await page.reload();
  await page.getByRole("button", { name: "Chat settings" }).click();
  await expect(prompt).toHaveValue("Answer like a pirate.");

  // Over 4,000 characters cannot be saved; Cancel keeps what was saved.
  await prompt.fill("x".repeat(4_001));
  await expect(dialog.getByRole("alert")).toHaveText("The system prompt can have at most 4,000 characters.");
  await expect(dialog.getByRole("button", { name: "Save" })).toBeDisabled();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("button", { name: "Chat settings" })).toBeFocused();

  await page.getByRole("button", { name: "Chat settings" }).click();
  await expect(prompt).toHaveValue("Answer like a pirate.");
  await dialog.getByRole("button", { name: "Reset to default" }).click();
  await expect(prompt).toHaveValue("");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await chat.send("WHOAMI once more");
  await expect(chat.lastBotMessage()).toContainText(`System: ${DEFAULT_PROMPT}`);
});

test("Settings shows the usage: nothing at first, then the reply in the chart, the totals and the model's row", async ({ page, account: _ }) => {
  await page.goto("/settings");
  const usage = page.getByRole("region", { name: "Usage" });
  await expect(usage.getByText("No replies in the last 30 days.")).toBeVisible();
  await expect(usage.getByRole("img")).toHaveCount(0);

  const chat = new ChatPage(page);
  await chat.newChat();
  await chat.send("count my tokens please");
  await expect(page).toHaveURL(/\/chat\/\d+/);

  await page.goto("/settings");
  const replies = usage.getByRole("img", { name: "Replies per day, last 30 days" });
  await expect(replies).toBeVisible();
  await expect(replies).toHaveAccessibleDescription(/^1 in total from .+ to .+; the busiest day was .+ with 1\.$/);
  await expect(usage.getByRole("img", { name: "Tokens per day, last 30 days" })).toBeVisible();
  await expect(usage.getByRole("definition").first()).toHaveText("1");
  const row = usage.getByRole("table", { name: "By model" }).getByRole("row", { name: /fake-model/ });
  await expect(row.getByRole("cell").first()).toHaveText("1");
  // The day's numbers, for screen readers: the last row of the hidden table is today.
  const days = usage.getByRole("table", { name: "Replies per day, last 30 days" }).getByRole("row");
  await expect(days).toHaveCount(31);
  await expect(days.last().getByRole("cell").first()).toHaveText("1");
});

for (const scheme of ["light", "dark"] as const) {
  test(`the picker, the chat settings dialog and the usage charts have no serious accessibility violations (${scheme})`, async ({ page, account: _ }) => {
    const audit = async () =>
      (await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze()).violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
    await page.emulateMedia({ colorScheme: scheme });
    const chat = new ChatPage(page);
    await chat.newChat();
    await chat.send("an accessible chat");
    await expect(page).toHaveURL(/\/chat\/\d+/);
    expect(await audit()).toEqual([]);
    await page.getByRole("button", { name: "Chat settings" }).click();
    await page.getByRole("textbox", { name: "System prompt" }).fill("x".repeat(4_001)); // with its error shown
    expect(await audit()).toEqual([]);
    await page.keyboard.press("Escape");
    await page.goto("/settings");
    await expect(page.getByRole("img", { name: "Replies per day, last 30 days" })).toBeVisible();
    expect(await audit()).toEqual([]);
  });
}
