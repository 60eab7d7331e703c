import "server-only";
import { getDb } from "@/db/client";
import { DEFAULT_ROOM_TITLE, type ChatLog, type ChatRoom } from "@/db/schema";
import { env } from "@/lib/env";
import { getHistoryStore, type HistoryMessage } from "@/lib/history";
import { pendingPurges, purgeHistory, purgesMayBePending, recordHistoryPurge } from "@/lib/history/purge";
import { getResponder, ModelError, ReplyAborted, type ContextMessage, type ReplyUsage, type Responder } from "@/lib/llm";
import { modelForRoom, systemPromptForRoom } from "@/lib/llm/models";
import { removeLastReply } from "@/lib/rooms";
import { appendLog, contextLogs, countBotLogs, roomExists, setTitleIfDefault } from "./turn-queries";
import { observeTurn } from "@/lib/turn-telemetry";
import { cleanModelTitle, titleFromMessage } from "./title";

/**
 * The bot's turn (docs/chat-turn.md), independent of HTTP: the route streams its events as SSE or
 * waits for the result. Postgres is the source of truth; the history store is the cache of
 * the model's context.
 */

export type TurnEvents = {
  onDelta?: (text: string) => void;
  onTitle?: (room: ChatRoom) => void;
};

export type TurnResult =
  | { status: "done"; bot: ChatLog }
  | { status: "stopped"; bot: ChatLog | undefined }
  | { status: "room_deleted" };

/** Step 1: the user's message is stored before anything else can fail. */
export async function storeUserMessage(params: { userId: number; roomId: number; message: string }) {
  return appendLog({ roomId: params.roomId, userId: params.userId, role: "user", message: params.message });
}

/**
 * "Regenerate": the last reply is deleted and the history invalidated (the next context is
 * rebuilt from Postgres, without the old reply); then the last user message is answered again.
 * Runs in the room's turn (lib/chat/room-turn.ts), so no other reply is being saved meanwhile.
 */
export async function prepareRegeneration(params: { userId: number; roomId: number }) {
  const found = await removeLastReply(params);
  if (!found) return undefined;
  if (!found.userLog) return "nothing_to_regenerate" as const;
  await invalidateHistory(found.room.id);
  return { room: found.room, userLog: found.userLog };
}

/**
 * Steps 2–5: context, reply, bot log, history, title. The caller holds the room's turn
 * (lib/chat/room-turn.ts). Throws ModelError when the model fails (no bot log is written).
 * `signal` is the explicit stop, never the client going away (docs/chat-turn.md#replies-that-outlive-the-request).
 */
export function answer(
  params: { room: ChatRoom; userLog: ChatLog; signal: AbortSignal; responder?: Responder },
  events: TurnEvents = {},
): Promise<TurnResult> {
  const responder = params.responder ?? getResponder();
  const model = responder.kind === "model" ? modelForRoom(params.room) : "offline";
  return observeTurn({ roomId: params.room.id, model }, events, (observed) => answerNow({ ...params, responder }, observed));
}

async function answerNow(
  { room, userLog, signal, responder }: { room: ChatRoom; userLog: ChatLog; signal: AbortSignal; responder: Responder },
  events: TurnEvents,
): Promise<TurnResult> {
  const context = await loadContext(room.id, userLog);
  const messages: ContextMessage[] = [
    ...context.history.map((m): ContextMessage => ({ role: m.role === "human" ? "user" : "assistant", content: m.content })),
    { role: "user", content: userLog.message },
  ];

  // docs/chat-turn.md#model-and-system-prompt: the room's model and system prompt, read when
  // its turn begins (a change made while a reply runs applies to the next one).
  const model = modelForRoom(room);
  const written: Written = { model: responder.kind === "model" ? model : null, usage: undefined };
  const options = { model, system: systemPromptForRoom(room), onUsage: (usage: ReplyUsage) => (written.usage = usage) };

  let reply = "";
  try {
    for await (const piece of responder.stream(messages, signal, options)) {
      reply += piece;
      events.onDelta?.(piece);
    }
  } catch (error) {
    if (!(error instanceof ReplyAborted)) throw error;
    // Stopped: keep what was said so far, marked as stopped (docs/chat-turn.md#completion).
    if (!reply.trim()) return { status: "stopped", bot: undefined };
    const saved = await saveReply(room.id, userLog, reply, context, { ...written, stopped: true });
    return saved ? { status: "stopped", bot: saved } : { status: "room_deleted" };
  }

  const bot = await saveReply(room.id, userLog, reply, context, { ...written, stopped: false });
  if (!bot) return { status: "room_deleted" };
  if (room.title === DEFAULT_ROOM_TITLE) {
    const titled = await autoTitle(room.id, userLog.message, reply, responder, signal, model);
    if (titled) events.onTitle?.(titled);
  }
  return { status: "done", bot };
}

type Context = { history: HistoryMessage[]; rebuilt: boolean };

/**
 * What the bot log records about its writer (docs/chat-turn.md#usage): the model id (null for
 * the offline responder: no model wrote it) and the token counts the model reported, if any.
 */
type Written = { model: string | null; usage: ReplyUsage | undefined };

/** The last HISTORY_MAX_MESSAGES turns, from the store, or from Postgres when it has none. */
async function loadContext(roomId: number, userLog: ChatLog): Promise<Context> {
  const limit = env().HISTORY_MAX_MESSAGES;
  try {
    // After a Redis outage, a purge of this room's key (a new room over an old id, a deleted
    // reply) may still be waiting: carry it out before trusting the key, or do without it.
    const purged = !purgesMayBePending() || (await purgePendingHistory(roomId));
    const history = purged ? await getHistoryStore().readLast(roomId, limit) : [];
    if (history.length > 0) return { history, rebuilt: false };
  } catch (error) {
    console.warn(`[chat] history store unavailable, context rebuilt from Postgres: ${(error as Error).message}`);
  }
  const logs = await contextLogs({ roomId, excludeLogId: userLog.id, limit });
  return { history: logs.map(toHistoryMessage), rebuilt: true };
}

/** True when the room has no purge waiting (any waiting one is carried out now). */
async function purgePendingHistory(roomId: number) {
  if ((await pendingPurges([roomId])).length === 0) return true;
  return purgeHistory([roomId]);
}

const toHistoryMessage = (log: { role: ChatLog["role"]; message: string }): HistoryMessage => ({
  role: log.role === "user" ? "human" : "ai",
  content: log.message,
});

/**
 * Writes the bot log, then (only after it committed: docs/history.md ordering) appends the exchange
 * to the history in one atomic push. A rebuilt context is written back with it. Returns
 * undefined when the room was deleted meanwhile; the history is then left empty.
 */
async function saveReply(roomId: number, userLog: ChatLog, reply: string, context: Context, written: Written & { stopped: boolean }) {
  const saved = await appendLog({
    roomId,
    role: "bot",
    message: reply,
    stopped: written.stopped,
    model: written.model,
    promptTokens: written.usage?.promptTokens,
    completionTokens: written.usage?.completionTokens,
  });
  if (!saved) return undefined;
  const exchange: HistoryMessage[] = [toHistoryMessage(userLog), { role: "ai", content: reply }];
  const store = getHistoryStore();
  try {
    await store.append(roomId, context.rebuilt ? [...context.history, ...exchange] : exchange);
    // The room may have been deleted between our commit and our push: never leave a key behind.
    if (!(await roomExists(roomId))) await purgeHistory([roomId]);
  } catch (error) {
    // The store now lacks this exchange. Invalidate it (retried until Redis is back) so the
    // next turn rebuilds the context from Postgres instead of missing a turn.
    console.warn(`[chat] history append failed, invalidating room ${roomId}: ${(error as Error).message}`);
    await invalidateHistory(roomId);
  }
  return saved.log;
}

async function invalidateHistory(roomId: number) {
  await recordHistoryPurge(await getDb(), [roomId]);
  await purgeHistory([roomId]);
}

/** docs/chat-turn.md#auto-title: the first exchange names a room whose title is still the default. */
async function autoTitle(roomId: number, message: string, reply: string, responder: Responder, signal: AbortSignal, model: string) {
  if ((await countBotLogs(roomId)) !== 1) return undefined;
  const fromModel = cleanModelTitle(await responder.title({ message, reply }, signal, { model }));
  const title = fromModel ?? titleFromMessage(message);
  if (!title) return undefined;
  return setTitleIfDefault({ roomId, title });
}

export { ModelError };
