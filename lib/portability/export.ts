import "server-only";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { chatLogs, chatRooms, type ChatLog, type ChatRoom } from "@/db/schema";
import { isoTimestamp, logJson, roomJson } from "@/lib/serializers";
import { logger } from "@/lib/log";
import { getRoomForUser } from "@/lib/rooms";
import { EXPORT_VERSION } from "./native";

/**
 * Exports (docs/api.md#export-and-import). Every one is streamed: rooms and logs are read in
 * keyset pages (never OFFSET, never all at once) and written out as they come, so the
 * server's memory stays flat whatever the account's size. No transaction spans the
 * download (a slow client must not hold a pooled connection): a room deleted meanwhile
 * simply ends early, a message sent meanwhile may or may not be in it.
 */
export type ExportFormat = "json" | "md";

/** Logs per query. A page of 500 logs of typical length is a few hundred KB of JSON. */
const LOG_PAGE = 500;
/** Rooms per query for the account export. */
const ROOM_PAGE = 100;

/** A room's export as a stream, or undefined when the room is not the user's (a 404). */
export async function exportRoom(params: { roomId: number; userId: number; format: ExportFormat }) {
  const room = await getRoomForUser(params);
  if (!room) return undefined;
  const chunks = params.format === "md" ? roomMarkdown(room) : roomJsonDocument(room);
  return { room, stream: toStream(chunks, { userId: params.userId, what: "room export" }) };
}

/** Every room of the user with its logs, as one JSON document: `{"version": 1, "rooms": [{"room", "logs"}…]}`. */
export function exportAccount(params: { userId: number }) {
  return toStream(accountJsonDocument(params.userId), { userId: params.userId, what: "account export" });
}

async function* roomJsonDocument(room: ChatRoom) {
  yield `{"version":${EXPORT_VERSION},"room":${JSON.stringify(roomJson(room))},"logs":[`;
  yield* logsJson(room.id);
  yield "]}\n";
}

async function* accountJsonDocument(userId: number) {
  yield `{"version":${EXPORT_VERSION},"rooms":[`;
  let first = true;
  for await (const room of roomsOf(userId)) {
    yield `${first ? "" : ","}{"room":${JSON.stringify(roomJson(room))},"logs":[`;
    first = false;
    yield* logsJson(room.id);
    yield "]}";
  }
  yield "]}\n";
}

async function* logsJson(roomId: number) {
  let first = true;
  for await (const page of logPages(roomId)) {
    yield (first ? "" : ",") + page.map((log) => JSON.stringify(logJson(log))).join(",");
    first = false;
  }
}

/**
 * `# title`, then each message under its speaker's heading with its time (UTC), the text as
 * it was written (it is Markdown already).
 */
async function* roomMarkdown(room: ChatRoom) {
  yield `# ${room.title.replace(/\s+/g, " ")}\n`;
  for await (const page of logPages(room.id)) {
    yield page
      .map((log) => {
        const speaker = log.role === "user" ? "You" : "AInfo";
        const note = log.stopped ? " (stopped)" : "";
        return `\n### ${speaker} · ${readableTime(log.timestamp)}${note}\n\n${log.message}\n`;
      })
      .join("");
  }
}

/** `2026-11-24 09:30:12 UTC`. */
const readableTime = (pg: string) => isoTimestamp(pg).replace("T", " ").replace(/(\.\d+)?Z$/, " UTC");

/** The user's rooms in id order (stable while rooms are used), a page at a time. */
async function* roomsOf(userId: number) {
  const db = await getDb();
  let after = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(chatRooms)
      .where(and(eq(chatRooms.userId, userId), gt(chatRooms.id, after)))
      .orderBy(asc(chatRooms.id))
      .limit(ROOM_PAGE);
    yield* rows;
    if (rows.length < ROOM_PAGE) return;
    after = rows.at(-1)!.id;
  }
}

/** A room's logs in (timestamp, id) order, a page at a time, on `chat_logs_room_time_idx`. */
async function* logPages(roomId: number): AsyncGenerator<ChatLog[]> {
  const db = await getDb();
  let after: ChatLog | undefined;
  for (;;) {
    const rows = await db
      .select()
      .from(chatLogs)
      .where(
        and(
          eq(chatLogs.chatroomId, roomId),
          after ? sql`(${chatLogs.timestamp}, ${chatLogs.id}) > (${after.timestamp}::timestamptz, ${after.id}::bigint)` : undefined,
        ),
      )
      .orderBy(asc(chatLogs.timestamp), asc(chatLogs.id))
      .limit(LOG_PAGE);
    if (rows.length > 0) yield rows;
    if (rows.length < LOG_PAGE) return;
    after = rows.at(-1);
  }
}

/**
 * Pulls the next chunk only when the client has taken the last one (backpressure): a slow
 * download waits, it does not pile up in memory. An error after the first byte can only cut
 * the download short (the status is sent); it is logged.
 */
function toStream(chunks: AsyncGenerator<string>, context: { userId: number; what: string }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (error) {
        logger().error({ err: error, userId: context.userId }, `${context.what} failed`);
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

// --- the download's name ---

/**
 * `Content-Disposition: attachment` with an ASCII `filename` (a slug of the title, for old
 * clients) and the title itself in `filename*` (RFC 6266 / RFC 5987: UTF-8, percent-encoded),
 * so `제주도 여행.md` downloads under its Korean name.
 */
export function attachmentHeader(name: { title: string; fallback: string; extension: string }): string {
  const slug = name.title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  const ascii = `${slug || name.fallback}.${name.extension}`;
  // Whatever a file system or a shell would trip over goes: separators, reserved characters, controls.
  const safe = [...name.title.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, " ").replace(/\s+/g, " ").trim()]
    .slice(0, 100)
    .join("")
    .replace(/^\.+/, "")
    .trim();
  const full = `${safe || name.fallback}.${name.extension}`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(full)}`;
}

const encodeRfc5987 = (text: string) =>
  encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
