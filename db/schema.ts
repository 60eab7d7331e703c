import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";
import { EMAIL_MAX, FEEDBACK_COMMENT_MAX, MODEL_ID_MAX, NAME_MAX, SYSTEM_PROMPT_MAX, TITLE_MAX } from "../lib/limits";

// Timestamps are read as Postgres text (`mode: "string"`) so the API keeps their full
// microsecond precision, as DRF did, and keyset cursors compare exactly.
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "string" });

export const DEFAULT_ROOM_TITLE = "새 채팅";

export const users = pgTable(
  "users",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    email: varchar("email", { length: EMAIL_MAX }).notNull(),
    name: varchar("name", { length: NAME_MAX }).notNull().default(""),
    /** argon2id; null for accounts that only sign in with OAuth. */
    passwordHash: text("password_hash"),
    /** Bumped to revoke every session at once (sign out everywhere, password change). */
    sessionVersion: integer("session_version").notNull().default(0),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_lower_key").on(sql`lower(${t.email})`)],
);
export type User = typeof users.$inferSelect;

/** OAuth identities linked to a user (GitHub, Google). */
export const accounts = pgTable(
  "accounts",
  {
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    provider: varchar("provider", { length: 32 }).notNull(),
    providerAccountId: varchar("provider_account_id", { length: 255 }).notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.providerAccountId] }),
    index("accounts_user_id_idx").on(t.userId),
  ],
);

export const chatRooms = pgTable(
  "chat_rooms",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: varchar("title", { length: TITLE_MAX }).notNull().default(DEFAULT_ROOM_TITLE),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
    /** The model that answers this room; null = the default (`LLM_MODEL`). */
    model: varchar("model", { length: MODEL_ID_MAX }),
    /** Replaces `LLM_SYSTEM_PROMPT` for this room's turns; null = the default. */
    systemPrompt: varchar("system_prompt", { length: SYSTEM_PROMPT_MAX }),
    pinned: boolean("pinned").notNull().default(false),
    archived: boolean("archived").notNull().default(false),
  },
  (t) => [
    // The sidebar's order (docs/data-model.md): a user's unarchived (or archived) rooms,
    // pinned first, then by activity. Keyset cursors walk this index.
    index("chat_rooms_user_list_idx").on(t.userId, t.archived, t.pinned.desc(), t.updatedAt.desc(), t.id.desc()),
    index("chat_rooms_title_trgm_idx").using("gin", sql`${t.title} gin_trgm_ops`),
  ],
);
export type ChatRoom = typeof chatRooms.$inferSelect;

export const chatRole = pgEnum("chat_role", ["user", "bot"]);
export type ChatRole = (typeof chatRole.enumValues)[number];

export const feedbackRating = pgEnum("feedback_rating", ["up", "down"]);
export type FeedbackRating = (typeof feedbackRating.enumValues)[number];

export const chatLogs = pgTable(
  "chat_logs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    chatroomId: bigint("chatroom_id", { mode: "number" })
      .notNull()
      .references(() => chatRooms.id, { onDelete: "cascade" }),
    role: chatRole("role").notNull(),
    message: text("message").notNull(),
    /** True when the reply was cut short (the client went away or pressed Stop). */
    stopped: boolean("stopped").notNull().default(false),
    timestamp: timestamptz("timestamp").notNull().defaultNow(),
    /** Bot logs: the model that wrote the reply and the token counts it reported (null if none). */
    model: varchar("model", { length: MODEL_ID_MAX }),
    promptTokens: integer("prompt_tokens"),
    completionTokens: integer("completion_tokens"),
    /** Bot logs: the user's 👍/👎 and optional comment. */
    feedback: feedbackRating("feedback"),
    feedbackComment: varchar("feedback_comment", { length: FEEDBACK_COMMENT_MAX }),
  },
  (t) => [
    index("chat_logs_room_time_idx").on(t.chatroomId, t.timestamp, t.id),
    index("chat_logs_message_trgm_idx").using("gin", sql`${t.message} gin_trgm_ops`),
    // Two-character search terms (most Korean words): trigrams cannot index them. The
    // function is created by migration 0002 (matchesSearch in lib/rooms/rooms.ts explains the query).
    index("chat_logs_message_bigram_idx").using("gin", sql`chat_bigrams(${t.message})`),
  ],
);
export type ChatLog = typeof chatLogs.$inferSelect;

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: varchar("name", { length: NAME_MAX }).notNull().default(""),
    /** SHA-256 of the token, hex. The token itself is shown once and never stored. */
    tokenHash: varchar("token_hash", { length: 64 }).notNull().unique(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    lastUsedAt: timestamptz("last_used_at"),
  },
  (t) => [index("api_tokens_user_id_idx").on(t.userId)],
);
export type ApiToken = typeof apiTokens.$inferSelect;

/**
 * A room's public, read-only link (`/s/<token>`). The snapshot holds the title and the logs
 * as they were when shared, so later messages, edits and renames do not leak into it;
 * deleting the row (or the room) revokes the link at once (docs/data-model.md).
 */
export const roomShares = pgTable("room_shares", {
  roomId: bigint("room_id", { mode: "number" })
    .primaryKey()
    .references(() => chatRooms.id, { onDelete: "cascade" }),
  /** 128 random bits, base64url. Not a credential to anything but this snapshot. */
  token: varchar("token", { length: 64 }).notNull().unique(),
  snapshot: jsonb("snapshot").$type<SharedRoomSnapshot>().notNull(),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
});
export type SharedRoomSnapshot = {
  title: string;
  logs: { role: ChatRole; message: string; timestamp: string }[];
};
export type RoomShare = typeof roomShares.$inferSelect;

/**
 * Rooms whose Redis history still has to be deleted. A row is written in the same
 * transaction as the room's delete and removed once the history store confirms the purge,
 * so a Redis outage can delay the purge but never lose it (docs/history.md).
 */
export const historyPurges = pgTable("history_purges", {
  roomId: bigint("room_id", { mode: "number" }).primaryKey(),
  attempts: integer("attempts").notNull().default(0),
  lastError: text("last_error"),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
  nextAttemptAt: timestamptz("next_attempt_at").notNull().defaultNow(),
});
