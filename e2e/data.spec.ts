import fs from "node:fs";
import path from "node:path";
import type { Download } from "@playwright/test";
import { ChatPage } from "./pages/chat-page";
import { alerts, apiToken, expect, restCall, test } from "./fixtures";

/** docs/ui.md: a room's Export in its menu; Import and Export everything in Settings (docs/api.md#export-and-import). */

const FIXTURE = path.join(__dirname, "../tests/fixtures/chatgpt/conversations.json");

const contents = async (download: Download) => fs.readFileSync((await download.path())!, "utf8");

test("a room exports as Markdown and as JSON from its menu", async ({ page, account }) => {
  const token = await apiToken(account);
  const room = (await restCall(token, "POST", "/room/", { title: "제주도 여행" })).json;
  expect((await restCall(token, "POST", `/room/${room.id}/messages/`, { message: "버스로 다닐 수 있을까?" })).status).toBe(201);

  const chat = new ChatPage(page);
  await page.goto("/chat");
  await chat.openRoomMenu("제주도 여행");
  const [markdown] = await Promise.all([page.waitForEvent("download"), page.getByRole("menuitem", { name: "Export Markdown" }).click()]);
  expect(markdown.suggestedFilename()).toBe("제주도 여행.md");
  const text = await contents(markdown);
  expect(text).toMatch(/^# 제주도 여행\n\n### You · \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\n\n버스로 다닐 수 있을까\?\n\n### AInfo · /);
  expect(text).toContain("Echo: 버스로 다닐 수 있을까?");

  await chat.openRoomMenu("제주도 여행");
  const [json] = await Promise.all([page.waitForEvent("download"), page.getByRole("menuitem", { name: "Export JSON" }).click()]);
  expect(json.suggestedFilename()).toBe("제주도 여행.json");
  const document = JSON.parse(await contents(json));
  expect(document.version).toBe(1);
  expect(document.room).toMatchObject({ id: room.id, title: "제주도 여행" });
  expect(document.logs.map((log: { role: string }) => log.role)).toEqual(["user", "bot"]);
});

test("a ChatGPT export imported in Settings shows up in the sidebar and opens", async ({ page, account: _ }) => {
  await page.goto("/settings");
  const file = page.getByLabel("File to import");

  // A file that is not right is explained, and nothing is imported.
  await file.setInputFiles({ name: "conversations.json", mimeType: "application/json", buffer: Buffer.from('[{"title": "Broken"}]') });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(alerts(page)).toHaveText('Could not import: Conversation 1 ("Broken"): has no mapping.');

  await file.setInputFiles(FIXTURE);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported 6 chats." })).toBeVisible();

  const chat = new ChatPage(page);
  await expect(chat.roomLink("Sales CSV analysis")).toBeVisible();
  await chat.roomLink("제주도 2박 3일 여행 계획").click();
  await page.waitForURL(/\/chat\/\d+$/);
  await expect(chat.messages()).toHaveCount(4);
  await expect(chat.messages("user").last()).toContainText("숙소는 버스 타기 편한 곳으로 추천해 줘.");
  await expect(chat.lastBotMessage()).toContainText("1박 10만 원이면");

  // The conversation goes on here: the imported messages are its context.
  await chat.send("고마워!");
  await expect(chat.lastBotMessage()).toContainText("Echo: 고마워! [context: 5 messages]");
});

test("Export everything downloads every chat as one JSON document", async ({ page, account }) => {
  const token = await apiToken(account);
  for (const title of ["first", "second"]) {
    const room = (await restCall(token, "POST", "/room/", { title })).json;
    await restCall(token, "POST", `/room/${room.id}/messages/`, { message: `hello from ${title}` });
  }
  await page.goto("/settings");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export everything" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^ainfo-chat-export-\d{4}-\d{2}-\d{2}\.json$/);
  const document = JSON.parse(await contents(download));
  expect(document.version).toBe(1);
  expect(document.rooms.map((entry: { room: { title: string } }) => entry.room.title)).toEqual(["first", "second"]);
  expect(document.rooms[1].logs[0].message).toBe("hello from second");
});
