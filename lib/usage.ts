import "server-only";
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { chatLogs, chatRooms } from "@/db/schema";

/**
 * A user's replies and the tokens their models reported (docs/api.md#usage), summed in SQL over
 * the caller's bot logs of the last `days` UTC days, today included. Logs carry their counts
 * (docs/chat-turn.md#usage); a reply with none (the offline responder, a stopped reply, a
 * model server that sends no usage) counts as a reply with 0 tokens.
 */
export type UsageCounts = { replies: number; prompt_tokens: number; completion_tokens: number };
export type UsageReport = UsageCounts & {
  /** Every day of the window, oldest first, zeros included. */
  by_day: (UsageCounts & { date: string })[];
  /** One row per model (null: no model recorded — the offline responder), most replies first. */
  by_model: (UsageCounts & { model: string | null })[];
};

const DAY_MS = 86_400_000;

/** The window's UTC days, oldest first: `days` dates ending today ("YYYY-MM-DD"). */
export function usageWindow(days: number, now = new Date()): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

export async function usageForUser(params: { userId: number; days: number; now?: Date }): Promise<UsageReport> {
  const dates = usageWindow(params.days, params.now);
  const from = `${dates[0]}T00:00:00Z`;
  const until = new Date(Date.parse(`${dates.at(-1)}T00:00:00Z`) + DAY_MS).toISOString();
  const db = await getDb();

  // The caller's bot logs in [from, until): rooms by owner, then each room's logs by time (the
  // (chatroom_id, timestamp, id) index), so the scan is the window, never every log.
  const mine = and(
    eq(chatRooms.userId, params.userId),
    eq(chatLogs.role, "bot"),
    gte(chatLogs.timestamp, from),
    lt(chatLogs.timestamp, until),
  );
  const counts = {
    replies: sql<number>`count(*)`.mapWith(Number),
    prompt_tokens: sql<number>`coalesce(sum(${chatLogs.promptTokens}), 0)`.mapWith(Number),
    completion_tokens: sql<number>`coalesce(sum(${chatLogs.completionTokens}), 0)`.mapWith(Number),
  };
  const day = sql<string>`to_char(${chatLogs.timestamp} at time zone 'UTC', 'YYYY-MM-DD')`;

  const [perDay, perModel] = await Promise.all([
    db
      .select({ date: day, ...counts })
      .from(chatLogs)
      .innerJoin(chatRooms, eq(chatRooms.id, chatLogs.chatroomId))
      .where(mine)
      .groupBy(day),
    db
      .select({ model: chatLogs.model, ...counts })
      .from(chatLogs)
      .innerJoin(chatRooms, eq(chatRooms.id, chatLogs.chatroomId))
      .where(mine)
      .groupBy(chatLogs.model)
      .orderBy(sql`count(*) desc`, chatLogs.model),
  ]);

  const found = new Map(perDay.map((row) => [row.date, row]));
  const by_day = dates.map((date) => {
    const row = found.get(date);
    return { date, replies: row?.replies ?? 0, prompt_tokens: row?.prompt_tokens ?? 0, completion_tokens: row?.completion_tokens ?? 0 };
  });
  const total = (key: keyof UsageCounts) => perModel.reduce((sum, row) => sum + row[key], 0);
  return {
    replies: total("replies"),
    prompt_tokens: total("prompt_tokens"),
    completion_tokens: total("completion_tokens"),
    by_day,
    by_model: perModel,
  };
}
