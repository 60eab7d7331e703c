import { expect, type Locator, type Page } from "@playwright/test";
import { expectMenuItemsOnTop } from "../fixtures";

/** The chat app as a user sees it: sidebar, messages, composer. */
export class ChatPage {
  readonly composer: Locator;
  readonly sidebar: Locator;

  constructor(readonly page: Page) {
    this.composer = page.getByRole("textbox", { name: /^(Message|메시지)$/ });
    this.sidebar = page.locator("#sidebar");
  }

  async newChat() {
    await this.page.goto("/chat");
    await expect(this.composer).toBeVisible();
  }

  messages(role?: "user" | "bot") {
    return this.page.locator(role ? `article[data-role="${role}"]` : "article[data-role]");
  }

  lastBotMessage() {
    return this.messages("bot").last();
  }

  /** Types and sends with Enter; waits until the reply is complete. */
  async send(text: string, options: { wait?: boolean } = {}) {
    await this.composer.fill(text);
    await this.composer.press("Enter");
    if (options.wait !== false) await this.waitForReply();
  }

  async waitForReply() {
    await expect(this.page.getByRole("button", { name: /^(Send|보내기)$/ })).toBeVisible({ timeout: 40_000 });
  }

  roomLink(title: string | RegExp) {
    return this.sidebar.getByRole("link", { name: title });
  }

  roomMenuButton(title: string) {
    return this.sidebar.getByRole("button", { name: `Options for ${title}` });
  }

  /** Opens a room's menu with the mouse, and checks that nothing covers its items. */
  async openRoomMenu(title: string) {
    const button = this.roomMenuButton(title);
    await button.locator("xpath=ancestor::li[1]").hover(); // on a desktop the ⋯ button shows on hover
    await button.click();
    await expect(this.page.getByRole("menu", { name: `Options for ${title}` })).toBeVisible();
    await expectMenuItemsOnTop(this.page);
  }

  currentRoomId() {
    const match = /\/chat\/(\d+)/.exec(this.page.url());
    if (!match) throw new Error(`not in a room: ${this.page.url()}`);
    return Number(match[1]);
  }
}
