import type { ChatLog, ChatRoom } from "@/db/schema";

/**
 * Postgres's text form of a UTC timestamptz ("2026-11-24 09:30:12.123456+00") as ISO 8601
 * with `Z`, keeping the microseconds, exactly as DRF rendered them.
 */
export function isoTimestamp(pg: string): string;
export function isoTimestamp(pg: string | null): string | null;
export function isoTimestamp(pg: string | null): string | null {
  if (pg === null) return null;
  if (pg.endsWith("Z")) return pg;
  return pg.replace(" ", "T").replace(/\+00(:00)?$/, "Z");
}

export type RoomJson = {
  id: number;
  user: number;
  title: string;
  created_at: string;
  updated_at: string;
};

export type LogJson = {
  id: number;
  chatroom: number;
  role: "user" | "bot";
  message: string;
  timestamp: string;
  stopped: boolean;
};

export const roomJson = (room: ChatRoom): RoomJson => ({
  id: room.id,
  user: room.userId,
  title: room.title,
  created_at: isoTimestamp(room.createdAt),
  updated_at: isoTimestamp(room.updatedAt),
});

export const logJson = (log: ChatLog): LogJson => ({
  id: log.id,
  chatroom: log.chatroomId,
  role: log.role,
  message: log.message,
  timestamp: isoTimestamp(log.timestamp),
  stopped: log.stopped,
});

export const tokenJson = (token: { id: number; name: string; createdAt: string; lastUsedAt: string | null }) => ({
  id: token.id,
  name: token.name,
  created_at: isoTimestamp(token.createdAt),
  last_used_at: isoTimestamp(token.lastUsedAt),
});
