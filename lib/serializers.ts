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
  model: string | null;
  system_prompt: string | null;
  pinned: boolean;
  archived: boolean;
};

export type LogJson = {
  id: number;
  chatroom: number;
  role: "user" | "bot";
  message: string;
  timestamp: string;
  stopped: boolean;
  model: string | null;
  usage: { prompt_tokens: number; completion_tokens: number } | null;
  feedback: "up" | "down" | null;
  feedback_comment: string | null;
};

export const roomJson = (room: ChatRoom): RoomJson => ({
  id: room.id,
  user: room.userId,
  title: room.title,
  created_at: isoTimestamp(room.createdAt),
  updated_at: isoTimestamp(room.updatedAt),
  model: room.model,
  system_prompt: room.systemPrompt,
  pinned: room.pinned,
  archived: room.archived,
});

export const logJson = (log: ChatLog): LogJson => ({
  id: log.id,
  chatroom: log.chatroomId,
  role: log.role,
  message: log.message,
  timestamp: isoTimestamp(log.timestamp),
  stopped: log.stopped,
  model: log.model,
  usage:
    log.promptTokens === null && log.completionTokens === null
      ? null
      : { prompt_tokens: log.promptTokens ?? 0, completion_tokens: log.completionTokens ?? 0 },
  feedback: log.feedback,
  feedback_comment: log.feedbackComment,
});

export const tokenJson = (token: { id: number; name: string; createdAt: string; lastUsedAt: string | null }) => ({
  id: token.id,
  name: token.name,
  created_at: isoTimestamp(token.createdAt),
  last_used_at: isoTimestamp(token.lastUsedAt),
});

/** A room's share link (docs/api.md#share-links): its path, and when it was made. */
export const shareJson = (share: { token: string; createdAt: string }) => ({
  url: `/s/${share.token}`,
  created_at: isoTimestamp(share.createdAt),
});
