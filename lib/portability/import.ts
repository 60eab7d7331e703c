import "server-only";
import { getDb } from "@/db/client";
import { chatLogs, chatRooms, type ChatRoom } from "@/db/schema";
import { purgeHistory, recordHistoryPurge } from "@/lib/history/purge";
import { isAllowedModel } from "@/lib/llm/models";
import { isoFromUs, type ImportedLog, type ImportedRoom } from "./conversation";
import { roomsFromImport } from "./formats";

/**
 * `POST /room/import/` (docs/api.md#export-and-import): every conversation of the body is
 * validated first (a bad one refuses the whole import, nothing stored), then each is stored
 * in its own transaction: the room, its history purge (a new room starts with no history,
 * docs/security.md#history-isolation, as `createRoom` does) and its logs in multi-row
 * inserts. Returns the new rooms in the order of the file.
 */
export async function importConversations(params: { userId: number; body: unknown }): Promise<ChatRoom[]> {
  const rooms = roomsFromImport(params.body, Date.now() * 1000);
  const db = await getDb();
  const created: ChatRoom[] = [];
  try {
    for (const room of rooms) {
      created.push(
        await db.transaction(async (tx) => {
          const [row] = await tx
            .insert(chatRooms)
            .values({
              userId: params.userId,
              title: room.title,
              createdAt: isoFromUs(room.createdAtUs),
              updatedAt: isoFromUs(room.updatedAtUs),
              // A model this server does not offer would be refused by PATCH: the default answers instead.
              model: room.model !== null && isAllowedModel(room.model) ? room.model : null,
              systemPrompt: room.systemPrompt,
              pinned: room.pinned,
              archived: room.archived,
            })
            .returning();
          await recordHistoryPurge(tx, [row!.id]);
          for (const batch of batches(room.logs)) {
            await tx.insert(chatLogs).values(batch.map((log) => logRow(row!.id, log)));
          }
          return row!;
        }),
      );
    }
  } finally {
    // Carried out once every room is in; the purge worker retries it if the store is down.
    await purgeHistory(created.map((room) => room.id));
  }
  return created;
}

const logRow = (chatroomId: number, log: ImportedLog) => ({
  chatroomId,
  role: log.role,
  message: log.message,
  timestamp: isoFromUs(log.timestampUs),
  stopped: log.stopped,
  model: log.model,
  promptTokens: log.promptTokens,
  completionTokens: log.completionTokens,
  feedback: log.feedback,
  feedbackComment: log.feedbackComment,
});

/**
 * Up to 1,000 logs or ~4 MB of text per INSERT: 10 parameters a row stays far below
 * Postgres's 65,535, and one statement never carries a whole 20 MiB file.
 */
function* batches(logs: ImportedRoom["logs"]) {
  let batch: ImportedLog[] = [];
  let chars = 0;
  for (const log of logs) {
    batch.push(log);
    chars += log.message.length;
    if (batch.length >= 1000 || chars >= 4_000_000) {
      yield batch;
      batch = [];
      chars = 0;
    }
  }
  if (batch.length > 0) yield batch;
}
