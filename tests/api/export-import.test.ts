import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { api, createRoom, newClient, request, sendMessage, type Client } from "../support/api";

/**
 * docs/api.md#export-and-import: `GET /room/{id}/export/`, `GET /auth/me/export/` and
 * `POST /room/import/`, over HTTP against the production build. How each format is read in
 * detail is tests/unit/import-formats.test.ts.
 */
const FIXTURE = path.resolve(__dirname, "../fixtures/chatgpt/conversations.json");
const chatgpt = () => JSON.parse(fs.readFileSync(FIXTURE, "utf8")) as any[];

const importBody = (client: Client, body: unknown) => request("POST", "/room/import/", { token: client.token, body });
const listRooms = async (client: Client) => (await request("GET", "/room/?archived=false", { token: client.token })).json as any[];
const roomDetail = async (client: Client, id: number) => (await request("GET", `/room/${id}/`, { token: client.token })).json;

/** A room with a few exchanges through the real turn (the fake model answers `Echo: …`). */
async function roomWithTalk(client: Client, title: string, messages: string[]) {
  const room = await createRoom(client, title);
  for (const message of messages) {
    const res = await sendMessage(client, room.id, message);
    expect(res.status, res.text).toBe(201);
  }
  return room;
}

/** The parts of a log an export must carry over. */
const essence = (log: any) => ({ role: log.role, message: log.message, timestamp: log.timestamp, stopped: log.stopped, model: log.model, usage: log.usage });

/** `filename*=UTF-8''…` decoded. */
const extendedFilename = (header: string | null) => decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(header ?? "")?.[1] ?? "");

describe("GET /room/{id}/export/", () => {
  it("downloads the room as JSON by default: {version: 1, room, logs}", async () => {
    const client = await newClient("export");
    const room = await roomWithTalk(client, "Trip plans", ["Where should we go?", "And when?"]);
    const res = await request("GET", `/room/${room.id}/export/`, { token: client.token });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="trip-plans.json"; filename*=UTF-8''Trip%20plans.json`);
    expect(res.headers.get("cache-control")).toBe("private, no-store");

    const detail = await roomDetail(client, room.id);
    const { chatlogs, ...roomOnly } = detail;
    expect(res.json).toEqual({ version: 1, room: roomOnly, logs: chatlogs });
    expect(res.json.logs.map((log: any) => log.role)).toEqual(["user", "bot", "user", "bot"]);
  });

  it("?format=md: the title, then each message under its speaker's heading with its time, the text as it was", async () => {
    const client = await newClient("markdown");
    const room = await roomWithTalk(client, "제주도 여행 계획", ["**렌터카** 없이 다닐 수 있을까?\n\n- 버스\n- 택시"]);
    const res = await request("GET", `/room/${room.id}/export/?format=md`, { token: client.token });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    const disposition = res.headers.get("content-disposition");
    expect(disposition).toMatch(new RegExp(`^attachment; filename="chat-${room.id}\\.md"; filename\\*=UTF-8''`));
    expect(extendedFilename(disposition)).toBe("제주도 여행 계획.md");

    const [user, bot] = (await roomDetail(client, room.id)).chatlogs;
    const time = (iso: string) => iso.replace("T", " ").replace(/(\.\d+)?Z$/, " UTC");
    expect(res.text).toBe(
      `# 제주도 여행 계획\n` +
        `\n### You · ${time(user.timestamp)}\n\n**렌터카** 없이 다닐 수 있을까?\n\n- 버스\n- 택시\n` +
        `\n### AInfo · ${time(bot.timestamp)}\n\n${bot.message}\n`,
    );
  });

  it("gives every title a safe file name", async () => {
    const client = await newClient("filename");
    const room = await createRoom(client, 'Q3 "report": a/b\\c?');
    const res = await request("GET", `/room/${room.id}/export/?format=json`, { token: client.token });
    const disposition = res.headers.get("content-disposition")!;
    expect(disposition).toMatch(/^attachment; filename="q3-report-a-b-c\.json"; filename\*=UTF-8''[A-Za-z0-9%._~!-]+$/);
    expect(extendedFilename(disposition)).toBe("Q3 report a b c.json");
  });

  it("refuses an unknown format with DRF's field error", async () => {
    const client = await newClient("format");
    const room = await createRoom(client, "x");
    const res = await request("GET", `/room/${room.id}/export/?format=pdf`, { token: client.token });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ format: ['"pdf" is not a valid choice.'] });
  });

  it("another user's room, or one that does not exist, is a 404; no credentials a 401", async () => {
    const owner = await newClient("owner");
    const stranger = await newClient("stranger");
    const room = await createRoom(owner, "private");
    for (const format of ["json", "md"]) {
      const res = await request("GET", `/room/${room.id}/export/?format=${format}`, { token: stranger.token });
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ detail: "Not found." });
    }
    expect((await request("GET", `/room/999999999/export/`, { token: owner.token })).status).toBe(404);
    expect((await request("GET", `/room/${room.id}/export/`)).status).toBe(401);
    expect((await request("POST", `/room/${room.id}/export/`, { token: owner.token })).status).toBe(405);
    expect((await request("GET", `/room/${room.id}/export`, { token: owner.token })).status).toBe(200); // no trailing slash
  });
});

describe("GET /auth/me/export/", () => {
  it("streams every room of the caller with its logs as one JSON document, and no one else's", async () => {
    const client = await newClient("account");
    const other = await newClient("other");
    await roomWithTalk(other, "not mine", ["secret"]);
    const rooms = [
      await roomWithTalk(client, "first", ["one"]),
      await createRoom(client, "empty"),
      await roomWithTalk(client, "third", ["three", "four"]),
    ];
    // A room of more than one page of logs (500): imported, so that it works on any database.
    const many = Array.from({ length: 1_203 }, (_, i) => ({
      role: i % 2 ? "bot" : "user",
      message: `message ${i}`,
      timestamp: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
    }));
    const imported = await importBody(client, { version: 1, room: { title: "long" }, logs: many });
    expect(imported.status, imported.text).toBe(201);

    const res = await fetch(api("/auth/me/export/"), { headers: client.headers });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="ainfo-chat-export-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(res.headers.get("content-length")).toBeNull(); // streamed, not built first
    let chunks = 0;
    let text = "";
    const decoder = new TextDecoder();
    const reader = res.body!.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      chunks += 1;
      text += decoder.decode(read.value, { stream: true });
    }
    expect(chunks).toBeGreaterThan(1);
    const document = JSON.parse(text);
    expect(document.version).toBe(1);
    expect(document.rooms.map((entry: any) => entry.room.title)).toEqual(["first", "empty", "third", "long"]);
    for (const [index, room] of rooms.entries()) {
      const { chatlogs, ...roomOnly } = await roomDetail(client, room.id);
      expect(document.rooms[index]).toEqual({ room: roomOnly, logs: chatlogs });
    }
    expect(document.rooms[3].logs.map((log: any) => log.message)).toEqual(many.map((log) => log.message));
    expect(text).not.toContain("secret");
  });

  it("an account with no rooms exports an empty list", async () => {
    const client = await newClient("empty-account");
    const res = await request("GET", "/auth/me/export/", { token: client.token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ version: 1, rooms: [] });
    expect((await request("GET", "/auth/me/export/")).status).toBe(401);
  });
});

describe("POST /room/import/", () => {
  it("a room export comes back as a new room of the importer: texts, roles, order, times and settings kept", async () => {
    const alice = await newClient("alice");
    const room = await roomWithTalk(alice, "Round trip", ["first question", "second question"]);
    await request("PATCH", `/room/${room.id}/`, { token: alice.token, body: { pinned: true, system_prompt: "Be brief." } });
    const exported = (await request("GET", `/room/${room.id}/export/`, { token: alice.token })).json;

    const bob = await newClient("bob");
    const res = await importBody(bob, exported);
    expect(res.status, res.text).toBe(201);
    expect(res.json).toHaveLength(1);
    const [copy] = res.json;
    expect(copy.id).not.toBe(room.id);
    expect(copy.user).toBe(bob.userId);
    const { id: _id, user: _user, ...settings } = exported.room;
    expect(copy).toMatchObject(settings); // title, created_at, updated_at, pinned, system_prompt…

    const detail = await roomDetail(bob, copy.id);
    expect(detail.chatlogs.map(essence)).toEqual(exported.logs.map(essence));
    expect(detail.chatlogs.every((log: any) => log.chatroom === copy.id)).toBe(true);
    // Alice's room is untouched, and still hers alone.
    expect((await request("GET", `/room/${room.id}/`, { token: bob.token })).status).toBe(404);
  });

  it("an account export comes back whole, and re-exports the same", async () => {
    const alice = await newClient("alice-all");
    await roomWithTalk(alice, "one", ["a"]);
    await roomWithTalk(alice, "two", ["b", "c"]);
    const exported = (await request("GET", "/auth/me/export/", { token: alice.token })).json;

    const bob = await newClient("bob-all");
    const res = await importBody(bob, exported);
    expect(res.status, res.text).toBe(201);
    expect(res.json.map((room: any) => room.title)).toEqual(["one", "two"]);
    const again = (await request("GET", "/auth/me/export/", { token: bob.token })).json;
    const strip = (doc: any) =>
      doc.rooms.map((entry: any) => ({ title: entry.room.title, created_at: entry.room.created_at, logs: entry.logs.map(essence) }));
    expect(strip(again)).toEqual(strip(exported));
  });

  it("ChatGPT's conversations.json: the current branch of each conversation, its texts and times", async () => {
    const client = await newClient("chatgpt");
    const res = await importBody(client, chatgpt());
    expect(res.status, res.text).toBe(201);
    expect(res.json.map((room: any) => room.title)).toEqual([
      "제주도 2박 3일 여행 계획",
      "Sales CSV analysis",
      "What's in this photo?",
      "Morning run plan",
      "Postgres 17 release date",
      "새 채팅",
    ]);
    const [trip] = res.json;
    expect(trip.created_at).toBe("2024-06-03T04:46:40.512311Z");
    expect(trip.updated_at).toBe("2024-06-03T04:48:51.412311Z");

    const logs = (await roomDetail(client, trip.id)).chatlogs;
    expect(logs.map((log: any) => [log.role, log.timestamp, log.model])).toEqual([
      ["user", "2024-06-03T04:46:41.716311Z", null],
      ["bot", "2024-06-03T04:46:50.382311Z", "gpt-4o"],
      ["user", "2024-06-03T04:48:15.962311Z", null],
      ["bot", "2024-06-03T04:48:51.412311Z", "gpt-4o"],
    ]);
    expect(logs[2].message).toBe("숙소는 버스 타기 편한 곳으로 추천해 줘. 예산은 1박 10만 원이야."); // the edited question
    expect(logs[3].message).toMatch(/^1박 10만 원이면/); // the reply the user kept

    const photo = (await roomDetail(client, res.json[2].id)).chatlogs;
    expect(photo.map((log: any) => log.message)).toEqual([
      "이 사진 속 음식 이름이 뭐야?",
      "사진 속 음식은 **고기국수**입니다. 돼지 뼈 육수에 중면을 넣은 제주 향토 음식이에요.",
      "Draw it as a watercolor.",
      "Here is a watercolor of gogi-guksu.",
    ]);
    // Listed like any room, and searchable (Korean substrings too).
    const found = (await request("GET", `/room/?q=${encodeURIComponent("고기국수")}`, { token: client.token })).json;
    expect(found.map((room: any) => room.id)).toEqual([res.json[2].id]);
  });

  it("a malformed conversation → 400 naming it and why, and nothing of the import is stored", async () => {
    const client = await newClient("malformed");
    const cases: [string, (all: any[]) => unknown, RegExp][] = [
      ["missing mapping", (all) => delete all[2].mapping, /^Conversation 3 \("What's in this photo\?"\): has no mapping\.$/],
      [
        "a cycle in the parents",
        (all) => (all[1].mapping["client-created-root"].parent = all[1].current_node),
        /^Conversation 2 \("Sales CSV analysis"\): the parents of node "[^"]+" form a cycle\.$/,
      ],
      ["current_node not in the mapping", (all) => (all[4].current_node = "gone"), /^Conversation 5 \(.+\): current_node "gone" is not in the mapping\.$/],
      [
        "a wrong type",
        (all) => (all[5].mapping[all[5].current_node].message.author = "assistant"),
        /^Conversation 6 \(untitled\): node "[^"]+": message\.author\.role is not a string\.$/,
      ],
    ];
    for (const [name, breakIt, message] of cases) {
      const all = chatgpt();
      breakIt(all);
      const res = await importBody(client, all);
      expect(res.status, name).toBe(400);
      expect(Object.keys(res.json), name).toEqual(["detail"]);
      expect(res.json.detail, name).toMatch(message);
    }
    expect(await listRooms(client)).toEqual([]);
  });

  it("refuses a body that is no export, a message over 32,000 characters, another version", async () => {
    const client = await newClient("refused");
    for (const body of [{ hello: "world" }, '"just text"', 42]) {
      const res = await importBody(client, body); // (a string body is sent as it is: here a JSON string)
      expect(res.status).toBe(400);
      expect(res.json.detail).toMatch(/^Not a file this server can import/);
    }
    const long = await importBody(client, { version: 1, room: { title: "long" }, logs: [{ role: "user", message: "가".repeat(32_001) }] });
    expect(long.status).toBe(400);
    expect(long.json).toEqual({ detail: 'Conversation 1 ("long"): logs[0].message has 32,001 characters; a message may have at most 32,000.' });
    const v2 = await importBody(client, { version: 2, rooms: [] });
    expect(v2.json).toEqual({ detail: "Unsupported export version 2; this server reads version 1." });
    const broken = await request("POST", "/room/import/", { token: client.token, body: "[{" });
    expect(broken.status).toBe(400);
    expect(broken.json.detail).toMatch(/^JSON parse error - /);
    const wrongType = await request("POST", "/room/import/", { token: client.token, body: "[]", headers: { "content-type": "text/plain" } });
    expect(wrongType.status).toBe(415);
    expect(await listRooms(client)).toEqual([]);
  });

  it("takes bodies far over the usual 64 KiB, up to 20 MiB; over that → 413", async () => {
    const client = await newClient("big");
    // ~1 MiB: 200 messages of 5,000 characters.
    const logs = Array.from({ length: 200 }, (_, i) => ({ role: i % 2 ? "bot" : "user", message: `${i} ${"x".repeat(5_000)}` }));
    const ok = await importBody(client, { version: 1, room: { title: "one mebibyte" }, logs });
    expect(ok.status, ok.text).toBe(201);
    expect((await roomDetail(client, ok.json[0].id)).chatlogs).toHaveLength(200);

    const padding = " ".repeat(20 * 1024 * 1024); // valid JSON once wrapped, but one byte too many
    const tooBig = await request("POST", "/room/import/", { token: client.token, body: `[${padding}]` });
    expect(tooBig.status).toBe(413);
    expect(tooBig.json).toEqual({ detail: "Request body is too large. The limit is 20 MiB." });
    expect((await listRooms(client)).map((room) => room.title)).toEqual(["one mebibyte"]);
  });

  it("answers with and without the trailing slash; GET is not allowed; a stranger needs credentials", async () => {
    const client = await newClient("slash");
    const res = await request("POST", "/room/import", { token: client.token, body: chatgpt().slice(0, 1) });
    expect(res.status, res.text).toBe(201);
    const get = await request("GET", "/room/import/", { token: client.token });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toContain("POST");
    expect((await request("POST", "/room/import/", { body: chatgpt() })).status).toBe(401);
  });
});
