import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isoFromUs, resolveTimes, usFromIso, type DraftRoom } from "@/lib/portability/conversation";
import { roomsFromImport } from "@/lib/portability/formats";
import { ApiError } from "@/lib/errors";

/**
 * docs/api.md#export-and-import, in-process: how each import format is read. The HTTP suite
 * (tests/api/export-import.test.ts) checks what gets stored and what a client is answered.
 */
const FIXTURE = path.resolve(__dirname, "../fixtures/chatgpt/conversations.json");
const conversations = () => JSON.parse(fs.readFileSync(FIXTURE, "utf8")) as any[];
const NOW = Date.UTC(2026, 0, 1) * 1000;

const read = (body: unknown) => roomsFromImport(body, NOW);
const summary = (body: unknown) =>
  read(body).map((room) => ({ title: room.title, logs: room.logs.map((log) => [log.role, log.message]) }));

function refusal(body: unknown): string {
  try {
    read(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    return (error as ApiError).message;
  }
  throw new Error("the import was accepted");
}

describe("ChatGPT's conversations.json", () => {
  it("keeps the current_node branch: the edited question and the regenerated reply the user last saw", () => {
    const [trip] = summary(conversations());
    expect(trip).toEqual({
      title: "제주도 2박 3일 여행 계획",
      logs: [
        ["user", "제주도 2박 3일 여행 일정을 짜 줘. 렌터카 없이 다닐 거야."],
        ["bot", expect.stringContaining("렌터카 없이 다니는 2박 3일 제주 일정입니다.")],
        ["user", "숙소는 버스 타기 편한 곳으로 추천해 줘. 예산은 1박 10만 원이야."],
        ["bot", expect.stringContaining("1박 10만 원이면")],
      ],
    });
    const text = JSON.stringify(trip);
    expect(text).not.toContain("숙소는 어디가 좋아?"); // the question before its edit
    expect(text).not.toContain("게스트하우스"); // the reply that was regenerated
    expect(text).not.toContain("서울에 사는 개발자"); // custom instructions (hidden)
  });

  it("skips system, tool, code, browsing and reasoning nodes, and the images and audio of multimodal messages", () => {
    const [, csv, photo, voice, search] = summary(conversations());
    // The note before the tool call and the answer after it are one reply.
    expect(csv!.logs).toEqual([
      ["user", "Which month had the highest revenue? The file is attached."],
      ["bot", "Let me load the file and total the revenue per month.\n\n**March** had the highest revenue: 15,877.25."],
    ]);
    expect(photo!.logs).toEqual([
      ["user", "이 사진 속 음식 이름이 뭐야?"],
      ["bot", "사진 속 음식은 **고기국수**입니다. 돼지 뼈 육수에 중면을 넣은 제주 향토 음식이에요."],
      ["user", "Draw it as a watercolor."],
      ["bot", "Here is a watercolor of gogi-guksu."],
    ]);
    expect(voice!.logs).toEqual([
      ["user", "How far should I run tomorrow if I ran 5 km today?"],
      ["bot", "An easy 3 to 4 km recovery run is plenty."],
    ]);
    expect(search!.logs).toEqual([
      ["user", "When was PostgreSQL 17 released?"],
      ["bot", "PostgreSQL 17 was released on **26 September 2024**."],
    ]);
    expect(JSON.stringify(summary(conversations()))).not.toMatch(/asset_pointer|pandas|search_query|Thought for/);
  });

  it("keeps the times (epoch seconds, to the microsecond) and the model of each reply", () => {
    const [trip, , , , search, untitled] = read(conversations());
    expect(isoFromUs(trip!.createdAtUs)).toBe("2024-06-03T04:46:40.512311Z");
    expect(isoFromUs(trip!.updatedAtUs)).toBe("2024-06-03T04:48:51.412311Z");
    expect(isoFromUs(trip!.logs[0]!.timestampUs)).toBe("2024-06-03T04:46:41.716311Z");
    expect(trip!.logs.map((log) => log.model)).toEqual([null, "gpt-4o", null, "gpt-4o"]);
    expect(search!.logs[1]!.model).toBe("o3");
    // No title yet → the default title; a message without create_time takes the conversation's.
    expect(untitled!.title).toBe("새 채팅");
    expect(isoFromUs(untitled!.logs[0]!.timestampUs)).toBe("2025-02-08T07:33:20.000000Z");
  });

  it("reads one conversation on its own too", () => {
    expect(summary(conversations()[3])).toEqual([summary(conversations())[3]]);
  });

  it("refuses a malformed conversation, naming it and saying why", () => {
    const broken = (change: (conversations: any[]) => void) => {
      const all = conversations();
      change(all);
      return refusal(all);
    };
    expect(broken((c) => delete c[2].mapping)).toBe(`Conversation 3 ("What's in this photo?"): has no mapping.`);
    expect(broken((c) => (c[1].mapping = []))).toBe(`Conversation 2 ("Sales CSV analysis"): mapping is not an object.`);
    expect(broken((c) => (c[0].current_node = "nowhere"))).toBe(
      `Conversation 1 ("제주도 2박 3일 여행 계획"): current_node "nowhere" is not in the mapping.`,
    );
    expect(broken((c) => delete c[4].current_node)).toMatch(/^Conversation 5 \("Postgres 17 release date"\): has no current_node\.$/);
    expect(
      broken((c) => {
        const root = c[3].mapping["client-created-root"];
        root.parent = c[3].current_node; // the root's parent is the leaf: a loop
      }),
    ).toMatch(/^Conversation 4 \("Morning run plan"\): the parents of node "[^"]+" form a cycle\.$/);
    expect(
      broken((c) => {
        const leaf = c[0].mapping[c[0].current_node];
        leaf.parent = "gone";
      }),
    ).toMatch(/^Conversation 1 \(.*\): node "[^"]+": its parent "gone" is not in the mapping\.$/);
    expect(
      broken((c) => {
        c[5].mapping[c[5].current_node].message.content.parts = "not a list";
      }),
    ).toMatch(/^Conversation 6 \(untitled\): node "[^"]+": message\.content\.parts is not a list\.$/);
    expect(broken((c) => (c[1].create_time = "yesterday"))).toBe(
      `Conversation 2 ("Sales CSV analysis"): create_time is not a time (seconds since 1970).`,
    );
    expect(broken((c) => (c[0].title = 42))).toBe("Conversation 1 (untitled): title is not a string.");
    expect(broken((c) => c.push("hello"))).toBe(
      "Conversation 7 (untitled): is neither a ChatGPT conversation nor a room of our export.",
    );
  });

  it("refuses a message over 32,000 characters rather than cutting it", () => {
    const all = conversations();
    all[4].mapping[all[4].current_node].message.content.parts = ["x".repeat(32_001)];
    expect(refusal(all)).toBe(
      `Conversation 5 ("Postgres 17 release date"): Message 2 (assistant) has 32,001 characters; a message may have at most 32,000.`,
    );
  });

  it("cuts a long title to 100 characters and drops NUL characters", () => {
    const [one] = conversations();
    one.title = `  ${"가".repeat(150)}  `;
    one.mapping[one.current_node].message.content.parts = ["a\u0000b"];
    const [room] = read([one]);
    expect(room!.title).toBe("가".repeat(100));
    expect(room!.logs.at(-1)!.message).toBe("ab");
  });
});

describe("our exports", () => {
  const log = (role: string, message: string, timestamp: string) => ({ id: 1, chatroom: 1, role, message, timestamp, stopped: false });
  const roomExport = {
    version: 1,
    room: { id: 9, user: 3, title: "Trip", created_at: "2026-11-24T09:30:12.123456Z", updated_at: "2026-11-24T09:31:00.000001Z", pinned: true },
    logs: [log("user", "hi", "2026-11-24T09:30:13.000001Z"), log("bot", "hello", "2026-11-24T09:30:14.999999Z")],
  };

  it("reads a room export with its times to the microsecond", () => {
    const [room] = read(roomExport);
    expect(room!.title).toBe("Trip");
    expect(room!.pinned).toBe(true);
    expect(isoFromUs(room!.createdAtUs)).toBe("2026-11-24T09:30:12.123456Z");
    expect(room!.logs.map((l) => [l.role, l.message, isoFromUs(l.timestampUs)])).toEqual([
      ["user", "hi", "2026-11-24T09:30:13.000001Z"],
      ["bot", "hello", "2026-11-24T09:30:14.999999Z"],
    ]);
  });

  it("reads an account export, and names the room that is wrong", () => {
    expect(read({ version: 1, rooms: [roomExport, roomExport] })).toHaveLength(2);
    const bad = { ...roomExport, logs: [log("assistant", "hi", "2026-11-24T09:30:13Z")] };
    expect(refusal({ version: 1, rooms: [roomExport, bad] })).toBe(`Conversation 2 ("Trip"): logs[0].role must be "user" or "bot".`);
    const badTime = { ...roomExport, logs: [log("user", "hi", "2026-02-30T09:30:13Z")] };
    expect(refusal({ version: 1, rooms: [badTime] })).toBe(`Conversation 1 ("Trip"): logs[0].timestamp is not an ISO 8601 date-time.`);
  });

  it("refuses another version and anything it does not recognise", () => {
    expect(refusal({ ...roomExport, version: 2 })).toBe("Unsupported export version 2; this server reads version 1.");
    expect(refusal({ hello: "world" })).toMatch(/^Not a file this server can import/);
    expect(refusal("text")).toMatch(/^Not a file this server can import/);
    expect(refusal(undefined)).toMatch(/^Not a file this server can import/);
  });
});

describe("timestamps", () => {
  it("reads ISO 8601 with Z or an offset, and refuses impossible dates", () => {
    expect(isoFromUs(usFromIso("2026-11-24T18:30:12.5+09:00")!)).toBe("2026-11-24T09:30:12.500000Z");
    expect(isoFromUs(usFromIso("2026-11-24 09:30:12.123456+00")!)).toBe("2026-11-24T09:30:12.123456Z");
    expect(usFromIso("2026-02-30T00:00:00Z")).toBeUndefined();
    expect(usFromIso("2026-11-24T24:00:00Z")).toBeUndefined();
    expect(usFromIso("yesterday")).toBeUndefined();
  });

  it("keeps the order of the conversation when a message is stamped earlier than the one before", () => {
    const draft: DraftRoom = {
      title: "t",
      createdAtUs: 1_000,
      updatedAtUs: 1_500,
      model: null,
      systemPrompt: null,
      pinned: false,
      archived: false,
      logs: [2_000, 1_800, undefined, 2_500].map((timestampUs, i) => ({
        role: i % 2 ? "bot" : "user",
        message: `m${i}`,
        timestampUs,
        stopped: false,
        model: null,
        promptTokens: null,
        completionTokens: null,
        feedback: null,
        feedbackComment: null,
      })),
    };
    const room = resolveTimes(draft, NOW);
    expect(room.logs.map((log) => log.timestampUs)).toEqual([2_000, 2_000, 2_000, 2_500]);
    expect(room.updatedAtUs).toBe(2_500); // never before its last message: the sidebar orders by it
  });
});
