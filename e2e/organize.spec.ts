import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { ChatPage } from "./pages/chat-page";
import { alerts, apiToken, collectConsoleErrors, expect, restCall, test, type Account } from "./fixtures";

/** docs/ui.md#sidebar and #archived-chats: pin, archive, the Archived view, select and delete. */

/** Creates rooms through the REST API, oldest first; returns their ids by title. */
async function seedRooms(account: Account, titles: string[]) {
  const token = await apiToken(account);
  const ids: Record<string, number> = {};
  for (const title of titles) {
    const res = await restCall(token, "POST", "/room/", { title });
    expect(res.status).toBe(201);
    ids[title] = res.json.id;
  }
  return { token, ids };
}

/** The next server action's answer: awaited before a reload, which would cancel it. */
const actionSaved = (page: Page) =>
  page.waitForResponse((r) => r.request().method() === "POST" && r.request().headers()["next-action"] !== undefined);

const group = (chat: ChatPage, name: string) =>
  chat.sidebar.locator("section", { has: chat.page.getByRole("heading", { name, exact: true }) });

const groupHeadings = (chat: ChatPage) => chat.sidebar.getByRole("navigation").getByRole("heading");

async function chooseInRoomMenu(chat: ChatPage, title: string, item: string) {
  await chat.openRoomMenu(title);
  await chat.page.getByRole("menuitem", { name: item, exact: true }).click();
}

test("pin a room: it is listed under Pinned, stays there after a reload, and Unpin puts it back", async ({ page, account }) => {
  const { token, ids } = await seedRooms(account, ["Alpha", "Bravo", "Charlie"]);
  const errors = collectConsoleErrors(page);
  const chat = new ChatPage(page);
  await chat.newChat();
  await expect(group(chat, "Today").getByRole("link")).toHaveText(["Charlie", "Bravo", "Alpha"]);

  const saved = actionSaved(page);
  await chooseInRoomMenu(chat, "Alpha", "Pin");
  await expect(group(chat, "Pinned").getByRole("link")).toHaveText(["Alpha"]);
  await expect(groupHeadings(chat)).toHaveText(["Pinned", "Today"]);
  await saved;
  await page.reload();
  await expect(group(chat, "Pinned").getByRole("link")).toHaveText(["Alpha"]);
  await expect(group(chat, "Today").getByRole("link")).toHaveText(["Charlie", "Bravo"]);
  expect((await restCall(token, "GET", `/room/${ids.Alpha}/`)).json.pinned).toBe(true);

  // Pinning changed nothing about its activity: unpinned, it goes back to where it was.
  await chooseInRoomMenu(chat, "Alpha", "Unpin");
  await expect(groupHeadings(chat)).toHaveText(["Today"]);
  await expect(group(chat, "Today").getByRole("link")).toHaveText(["Charlie", "Bravo", "Alpha"]);
  expect(errors).toEqual([]);
});

test("archive the open room: it leaves the list, the chat says it is archived, the Archived view lists it, Unarchive restores it", async ({ page, account }) => {
  const { token, ids } = await seedRooms(account, ["Keep me", "Shelve me"]);
  const chat = new ChatPage(page);
  await page.goto(`/chat/${ids["Shelve me"]}`);
  await expect(chat.roomLink("Shelve me")).toBeVisible();

  const saved = actionSaved(page);
  await chooseInRoomMenu(chat, "Shelve me", "Archive");
  await expect(chat.roomLink("Shelve me")).toHaveCount(0);
  await expect(chat.roomLink("Keep me")).toBeVisible();
  // Still on it, and it says so.
  await expect(page).toHaveURL(new RegExp(`/chat/${ids["Shelve me"]}$`));
  await expect(page.getByRole("status").filter({ hasText: "This chat is archived" })).toBeVisible();
  await saved;
  expect((await restCall(token, "GET", "/room/?archived=true")).json.map((r: { id: number }) => r.id)).toEqual([ids["Shelve me"]]);

  await chat.sidebar.getByRole("link", { name: "Archived" }).click();
  await expect(page).toHaveURL(/\/chat\/archived$/);
  await expect(page.getByRole("heading", { name: "Archived chats", level: 1 })).toBeVisible();
  const archived = page.getByRole("list", { name: "Archived chats" });
  await expect(archived.getByRole("link")).toHaveText(["Shelve me"]);
  await page.reload();
  await expect(archived.getByRole("link")).toHaveText(["Shelve me"]);
  await expect(chat.roomLink("Shelve me")).toHaveCount(0);

  const restored = actionSaved(page);
  await archived.getByRole("listitem").filter({ hasText: "Shelve me" }).getByRole("button", { name: "Unarchive" }).click();
  await expect(page.getByText("No archived chats.")).toBeVisible();
  await expect(chat.roomLink("Shelve me")).toBeVisible();
  await restored;
  await page.reload();
  await expect(chat.roomLink("Shelve me")).toBeVisible();
  await expect(page.getByText("No archived chats.")).toBeVisible();

  // Opened again, it is an ordinary chat.
  await chat.roomLink("Shelve me").click();
  await expect(page).toHaveURL(new RegExp(`/chat/${ids["Shelve me"]}$`));
  await expect(page.getByText("This chat is archived")).toHaveCount(0);
});

test("the banner's Unarchive, and Delete in the Archived view", async ({ page, account }) => {
  const { token, ids } = await seedRooms(account, ["Old notes", "Older notes"]);
  await restCall(token, "PATCH", `/room/${ids["Old notes"]}/`, { archived: true });
  await restCall(token, "PATCH", `/room/${ids["Older notes"]}/`, { archived: true });
  const chat = new ChatPage(page);

  await page.goto(`/chat/${ids["Old notes"]}`);
  await expect(chat.roomLink("Old notes")).toHaveCount(0);
  await page.getByRole("status").filter({ hasText: "This chat is archived" }).getByRole("button", { name: "Unarchive" }).click();
  await expect(chat.roomLink("Old notes")).toBeVisible();
  await expect(page.getByText("This chat is archived")).toHaveCount(0);

  await page.goto("/chat/archived");
  const row = page.getByRole("list", { name: "Archived chats" }).getByRole("listitem").filter({ hasText: "Older notes" });
  await row.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete chat?" });
  await expect(dialog).toContainText("“Older notes”");
  const saved = actionSaved(page);
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText("No archived chats.")).toBeVisible();
  await saved;
  expect((await restCall(token, "GET", `/room/${ids["Older notes"]}/`)).status).toBe(404);
});

test("select three rooms and delete them: gone after a reload, the others remain", async ({ page, account }) => {
  const { token, ids } = await seedRooms(account, ["One", "Two", "Three", "Four", "Five"]);
  const errors = collectConsoleErrors(page);
  const chat = new ChatPage(page);
  await page.goto(`/chat/${ids.Three}`);
  const select = chat.sidebar.getByRole("button", { name: "Select", exact: true });

  // Cancel leaves everything as it was.
  await select.click();
  await chat.sidebar.getByRole("checkbox", { name: "One", exact: true }).check();
  await expect(chat.sidebar.getByText("1 selected")).toBeVisible();
  await chat.sidebar.getByRole("button", { name: "Cancel" }).click();
  await expect(chat.sidebar.getByRole("checkbox")).toHaveCount(0);
  await expect(chat.roomLink("One")).toBeVisible();

  await select.click();
  await expect(chat.sidebar.getByRole("checkbox")).toHaveCount(5);
  const deleteButton = chat.sidebar.getByRole("button", { name: "Delete 0" });
  await expect(deleteButton).toBeDisabled();
  await chat.sidebar.getByRole("checkbox", { name: "One", exact: true }).click();
  await chat.sidebar.getByRole("checkbox", { name: "Three", exact: true }).click();
  // The keyboard too: Space toggles the focused checkbox.
  await chat.sidebar.getByRole("checkbox", { name: "Five", exact: true }).focus();
  await page.keyboard.press("Space");
  await expect(chat.sidebar.getByText("3 selected")).toBeVisible();

  await chat.sidebar.getByRole("button", { name: "Delete 3" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete 3 chats?" });
  await expect(dialog).toBeVisible();
  const saved = actionSaved(page);
  await dialog.getByRole("button", { name: "Delete" }).click();
  for (const title of ["One", "Three", "Five"]) await expect(chat.roomLink(title)).toHaveCount(0);
  await expect(group(chat, "Today").getByRole("link")).toHaveText(["Four", "Two"]);
  await expect(chat.sidebar.getByRole("checkbox")).toHaveCount(0);
  // The open room was among them.
  await expect(page).toHaveURL(/\/chat$/);
  await saved;

  await page.reload();
  await expect(group(chat, "Today").getByRole("link")).toHaveText(["Four", "Two"]);
  const left = (await restCall(token, "GET", "/room/")).json.map((room: { title: string }) => room.title);
  expect(left).toEqual(["Four", "Two"]);
  expect(errors).toEqual([]);
});

test("a change the server refuses is rolled back, with a message", async ({ page, account }) => {
  const { token, ids } = await seedRooms(account, ["Still here", "Ghost"]);
  const chat = new ChatPage(page);
  await chat.newChat();
  await expect(chat.roomLink("Ghost")).toBeVisible();
  // Deleted elsewhere (another tab, a REST client): this sidebar does not know yet.
  expect((await restCall(token, "DELETE", `/room/${ids.Ghost}/`)).status).toBe(204);

  await chooseInRoomMenu(chat, "Ghost", "Pin");
  await expect(alerts(page)).toHaveText("Something went wrong: Not found.");
  await expect(groupHeadings(chat)).toHaveText(["Today"]);
  await expect(group(chat, "Today").getByRole("link")).toHaveText(["Ghost", "Still here"]);
});

test("select mode and the Archived view fit a 390 px phone", async ({ page, account }) => {
  const { token, ids } = await seedRooms(account, ["A room with a rather long title that must be truncated", "Short"]);
  await restCall(token, "PATCH", `/room/${ids.Short}/`, { archived: true });
  await page.setViewportSize({ width: 390, height: 800 });
  const chat = new ChatPage(page);
  await chat.newChat();
  await page.getByRole("button", { name: "Open sidebar" }).click();
  await chat.sidebar.getByRole("button", { name: "Select", exact: true }).click();
  await chat.sidebar.getByRole("checkbox").first().check();
  for (const name of ["Cancel", "Delete 1"]) {
    const box = (await chat.sidebar.getByRole("button", { name, exact: true }).boundingBox())!;
    expect(box.x + box.width, name).toBeLessThanOrEqual(390);
  }
  await chat.sidebar.getByRole("button", { name: "Cancel" }).click();
  await chat.sidebar.getByRole("link", { name: "Archived" }).click();
  await expect(page).toHaveURL(/\/chat\/archived$/);
  const row = page.getByRole("listitem").filter({ hasText: "Short" });
  for (const name of ["Unarchive", "Delete"]) await expect(row.getByRole("button", { name })).toBeInViewport({ ratio: 1 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

for (const scheme of ["light", "dark"] as const) {
  test(`the Pinned group, select mode, the Archived view and an archived chat have no serious accessibility violations (${scheme})`, async ({ page, account }) => {
    const { token, ids } = await seedRooms(account, ["Pinned one", "Archived one", "Plain one"]);
    await restCall(token, "PATCH", `/room/${ids["Pinned one"]}/`, { pinned: true });
    await restCall(token, "PATCH", `/room/${ids["Archived one"]}/`, { archived: true });
    await page.emulateMedia({ colorScheme: scheme });
    const chat = new ChatPage(page);
    await chat.newChat();
    await expect(group(chat, "Pinned").getByRole("link")).toHaveText(["Pinned one"]);
    expect(await audit(page)).toEqual([]);
    await chat.sidebar.getByRole("button", { name: "Select", exact: true }).click();
    await chat.sidebar.getByRole("checkbox", { name: "Plain one" }).check();
    expect(await audit(page)).toEqual([]);
    await page.goto("/chat/archived");
    await expect(page.getByRole("list", { name: "Archived chats" }).getByRole("link")).toHaveText(["Archived one"]);
    expect(await audit(page)).toEqual([]);
    await page.goto(`/chat/${ids["Archived one"]}`);
    await expect(page.getByText("This chat is archived")).toBeVisible();
    expect(await audit(page)).toEqual([]);
  });
}

async function audit(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}
