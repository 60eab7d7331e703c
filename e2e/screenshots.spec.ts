import path from "node:path";
import { ChatPage } from "./pages/chat-page";
import { apiToken, expect, restCall, test } from "./fixtures";

/** The README's pictures: light and dark, desktop and phone, of a real conversation. */
const SHOTS = path.join(__dirname, "..", "docs", "screenshots");

for (const scheme of ["light", "dark"] as const) {
  test(`screenshots (${scheme})`, async ({ page, account }) => {
    const token = await apiToken(account);
    for (const title of ["Postgres indexes", "부산 맛집", "Weekend reading list"]) {
      await restCall(token, "POST", "/room/", { title });
    }
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 800 });
    const chat = new ChatPage(page);
    await chat.newChat();
    await chat.send("제주도 2박 3일 여행 계획 세워 줘");
    await chat.send("Show me **keyset paging** in SQL:\n\n```sql\nSELECT * FROM chat_logs\nWHERE (timestamp, id) < ($1, $2)\nORDER BY timestamp DESC, id DESC\nLIMIT 50;\n```");
    await expect(chat.lastBotMessage().locator("pre code.hljs")).toBeVisible();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(SHOTS, `chat-desktop-${scheme}.png`) });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(SHOTS, `chat-phone-${scheme}.png`) });
    await page.getByRole("button", { name: "Open sidebar" }).click();
    await expect(chat.sidebar).toBeInViewport();
    await page.waitForTimeout(300); // the drawer's slide-in
    await page.screenshot({ path: path.join(SHOTS, `sidebar-phone-${scheme}.png`) });
  });
}
