import path from "node:path";
import { ChatPage } from "./pages/chat-page";
import { apiToken, expect, restCall, test } from "./fixtures";

/** The README's pictures: light and dark, desktop and phone, English and Korean, of a real conversation. */
const SHOTS = path.join(__dirname, "..", "docs", "screenshots");

const CONTENT = {
  en: {
    rooms: ["Postgres indexes", "부산 맛집", "Weekend reading list"],
    first: "Plan a 3-day trip to Jeju",
    second: "Show me **keyset paging** in SQL:\n\n```sql\nSELECT * FROM chat_logs\nWHERE (timestamp, id) < ($1, $2)\nORDER BY timestamp DESC, id DESC\nLIMIT 50;\n```\n\nIs that index-friendly?",
  },
  ko: {
    rooms: ["Postgres 인덱스", "부산 맛집", "주말에 읽을 책"],
    first: "제주도 2박 3일 여행 계획 세워 줘",
    second: "SQL로 **키셋 페이지네이션** 예시를 보여 줘:\n\n```sql\nSELECT * FROM chat_logs\nWHERE (timestamp, id) < ($1, $2)\nORDER BY timestamp DESC, id DESC\nLIMIT 50;\n```\n\n인덱스를 잘 타는 쿼리인가요?",
  },
} as const;

for (const scheme of ["light", "dark"] as const) {
  for (const lang of ["en", "ko"] as const) {
    test(`screenshots (${lang}, ${scheme})`, async ({ page, context, account }) => {
      const token = await apiToken(account);
      for (const title of CONTENT[lang].rooms) await restCall(token, "POST", "/room/", { title });
      await context.addCookies([{ name: "lang", value: lang, url: page.url() }]);
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: 1280, height: 800 });
      const chat = new ChatPage(page);
      await chat.newChat();
      await chat.send(CONTENT[lang].first);
      await chat.send(CONTENT[lang].second);
      await expect(chat.lastBotMessage().locator("pre code .hljs-keyword").first()).toBeVisible();
      await page.mouse.move(0, 0);
      await page.screenshot({ path: path.join(SHOTS, `chat-desktop-${lang}-${scheme}.png`) });

      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: path.join(SHOTS, `chat-phone-${lang}-${scheme}.png`) });
      await page.getByRole("button", { name: lang === "ko" ? "사이드바 열기" : "Open sidebar" }).click();
      await expect(chat.sidebar).toBeInViewport();
      await page.waitForTimeout(300); // the drawer's slide-in
      await page.screenshot({ path: path.join(SHOTS, `sidebar-phone-${lang}-${scheme}.png`) });
    });
  }
}
