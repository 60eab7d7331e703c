import { createClient } from "redis";
import { ChatPage } from "./pages/chat-page";
import { alerts, apiToken, expect, restCall, stackDetails, test } from "./fixtures";

async function roomWithMessage(chat: ChatPage, message: string) {
  await chat.newChat();
  await chat.send(message);
  await expect(chat.page).toHaveURL(/\/chat\/\d+$/);
  return chat.currentRoomId();
}

test("rename inline: Enter saves, Escape cancels, blank and over-long titles are refused", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await roomWithMessage(chat, "rename this room");
  await expect(chat.roomLink("rename this room")).toBeVisible();

  await chat.openRoomMenu("rename this room");
  await page.getByRole("menuitem", { name: "Rename" }).click();
  const input = page.getByRole("textbox", { name: "New title" });
  await input.fill("Escaped title");
  await input.press("Escape");
  await expect(chat.roomLink("rename this room")).toBeVisible();
  await expect(chat.roomLink("Escaped title")).toHaveCount(0);

  await chat.openRoomMenu("rename this room");
  await page.getByRole("menuitem", { name: "Rename" }).click();
  await input.fill("   ");
  await input.press("Enter");
  await expect(alerts(page)).toHaveText("The title cannot be empty.");
  await input.fill("가".repeat(101));
  await input.press("Enter");
  await expect(alerts(page)).toHaveText("The title can have at most 100 characters.");

  await input.fill("제주도 여행 🍊");
  // The sidebar shows the new title at once; the server action saving it is awaited before
  // reloading, since a reload would cancel it.
  const saved = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/chat/"));
  await input.press("Enter");
  await expect(chat.roomLink("제주도 여행 🍊")).toBeVisible();
  await saved;
  await page.reload();
  await expect(chat.roomLink("제주도 여행 🍊")).toBeVisible();
});

test("delete asks for confirmation, removes the room without a reload, and clears its Redis history", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  const keep = await roomWithMessage(chat, "keep me around");
  const doomed = await roomWithMessage(chat, "delete me soon");
  const { redisUrl, keyPrefix } = stackDetails();
  const redis = redisUrl ? createClient({ url: redisUrl }) : undefined;
  await redis?.connect();
  try {
    if (redis) expect(await redis.exists(`${keyPrefix}${doomed}`)).toBe(1);

    await chat.openRoomMenu("delete me soon");
    await page.getByRole("menuitem", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete chat?" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(chat.roomLink("delete me soon")).toBeVisible();

    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await chat.openRoomMenu("delete me soon");
    await page.getByRole("menuitem", { name: "Delete" }).click();
    await dialog.getByRole("button", { name: "Delete" }).click();
    await expect(chat.roomLink("delete me soon")).toHaveCount(0);
    await expect(page).toHaveURL(/\/chat$/);
    // No full reload happened: the page's JavaScript state survived.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    await expect(chat.roomLink("keep me around")).toBeVisible();
    if (redis) await expect.poll(() => redis.exists(`${keyPrefix}${doomed}`)).toBe(0);
    if (redis) expect(await redis.exists(`${keyPrefix}${keep}`)).toBe(1);
    await page.goto(`/chat/${doomed}`);
    await expect(page.getByRole("heading", { name: "This chat does not exist." })).toBeVisible();
  } finally {
    redis?.destroy();
  }
});

test("search finds rooms by title and by message text, Korean substrings included", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await roomWithMessage(chat, "제주도 여행 가고 싶어");
  await roomWithMessage(chat, "postgres indexes");
  const search = page.getByRole("searchbox", { name: "Search chats" });
  await search.fill("제주");
  await expect(chat.sidebar.getByRole("link", { name: /제주도/ })).toBeVisible();
  await expect(chat.roomLink(/postgres/)).toHaveCount(0);
  await search.fill("nothing like this");
  await expect(chat.sidebar.getByText("No chats match.")).toBeVisible();
  await page.getByRole("button", { name: "Clear search" }).click();
  await expect(chat.roomLink(/postgres/)).toBeVisible();
});

test("rooms are grouped by day, the newest activity first", async ({ page, account: _ }) => {
  const chat = new ChatPage(page);
  await roomWithMessage(chat, "older room");
  await roomWithMessage(chat, "newer room");
  const today = chat.sidebar.locator("section", { has: page.getByRole("heading", { name: "Today" }) });
  await expect(today.getByRole("link")).toHaveText(["newer room", "older room"]);
});

for (const width of [1280, 390]) {
  test(`with rooms listed below it, a room's menu is on top and its items act on that room (${width} px)`, async ({ page, account }) => {
    const token = await apiToken(account);
    for (const title of ["Room E", "Room D", "Room C", "Room B", "Room A"]) {
      expect((await restCall(token, "POST", "/room/", { title })).status).toBe(201);
    }
    await page.setViewportSize({ width, height: 800 });
    const chat = new ChatPage(page);
    await chat.newChat();
    if (width < 768) await page.getByRole("button", { name: "Open sidebar" }).click();
    // The top room: four rows below it used to paint over its menu (a click on Delete opened Room B).
    await chat.openRoomMenu("Room A");
    await page.getByRole("menuitem", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete chat?" });
    await expect(dialog).toContainText("“Room A”");
    await dialog.getByRole("button", { name: "Delete" }).click();
    await expect(chat.roomLink("Room A")).toHaveCount(0);
    await expect(page).toHaveURL(/\/chat$/);
    // The last room's menu (near the bottom of the list) too.
    await chat.openRoomMenu("Room E");
    await page.getByRole("menuitem", { name: "Rename" }).click();
    await expect(page.getByRole("textbox", { name: "New title" })).toHaveValue("Room E");
    await expect(page).toHaveURL(/\/chat$/);
  });
}
