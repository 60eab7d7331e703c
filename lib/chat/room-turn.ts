import "server-only";
import type { ChatLog, ChatRoom } from "@/db/schema";
import { logJson, roomJson } from "@/lib/serializers";
import { env } from "@/lib/env";
import { ApiError, isDatabaseUnavailable } from "@/lib/errors";
import { ModelError } from "@/lib/llm";
import { TurnBusy, TurnTicket } from "@/lib/replies/coordinator";
import { liveReplies, LiveReply } from "@/lib/replies/live-reply";
import type { ReplyEvent } from "@/lib/replies/store";
import { drainingReason, trackTurn } from "@/lib/shutdown";
import { answer } from "./turn";

/**
 * A message's way through its room (docs/chat-turn.md, §6a): accepted (a reply slot, else 429), then
 * waits for the room's turn on every instance, then — only then — its question is stored
 * (so a room's logs read user, bot, user, bot), answered and stored in full. The reply runs
 * in the background: it belongs to the room, and the request that started it is only its
 * first follower. Disconnecting does not stop it; `POST /room/{id}/stop/` does.
 */
export type TurnStart =
  /** Stores the question when the turn begins; undefined when the room is gone. */
  () => Promise<{ room: ChatRoom; userLog: ChatLog } | ApiError | undefined>;

export type AcceptedTurn = {
  reply: LiveReply;
  /** Every event of the reply, from the first (`user`) to the terminal one. */
  events: AsyncIterable<ReplyEvent>;
  /** The reply's id, the same on every instance. */
  id: string;
};

export async function acceptTurn(params: {
  userId: number;
  roomId: number;
  start: TurnStart;
  /** Sees every event as it happens, whoever follows (the Idempotency-Key record). */
  onEvent?: (event: ReplyEvent) => void;
}): Promise<AcceptedTurn> {
  const reason = drainingReason();
  if (reason) throw new ApiError("unavailable", `${reason} Send it again: another server will answer.`, { headers: { "Retry-After": "1" } });
  const ticket = new TurnTicket(params.userId, params.roomId);
  const limit = env().MAX_CONCURRENT_STREAMS;
  if (!(await ticket.takeSlot(limit))) {
    throw ApiError.rateLimited(5, `Too many replies in progress (at most ${limit} at once). Wait for one to finish.`);
  }
  const reply = new LiveReply(ticket.id, params.roomId, params.userId);
  const events = reply.events(); // subscribed before anything can happen
  trackTurn(runTurn(ticket, reply, params.start, params.onEvent));
  return { reply, events, id: ticket.id };
}

async function runTurn(ticket: TurnTicket, reply: LiveReply, start: TurnStart, onEvent?: (event: ReplyEvent) => void) {
  const emit = (event: ReplyEvent) => {
    reply.emit(event);
    onEvent?.(event);
    void ticket.publish(event);
  };
  let terminal: ReplyEvent;
  try {
    await ticket.waitForTurn();
    ticket.watchForStop(reply);
    const started = await start();
    if (started instanceof ApiError) {
      terminal = { type: "error", detail: started.message, status: started.status };
    } else if (!started) {
      terminal = { type: "error", detail: "Not found.", status: 404 };
    } else {
      emit({ type: "user", log: logJson(started.userLog) });
      liveReplies.set(reply.roomId, reply);
      const result = await answer(
        { room: started.room, userLog: started.userLog, signal: reply.abort.signal },
        {
          onDelta: (text) => emit({ type: "delta", text }),
          onTitle: (titled) => emit({ type: "title", room: roomJson(titled) }),
        },
      );
      terminal =
        result.status === "room_deleted"
          ? { type: "error", detail: "The room was deleted.", status: 404 }
          : { type: "done", log: result.bot ? logJson(result.bot) : null };
    }
  } catch (error) {
    if (error instanceof ModelError) terminal = { type: "error", detail: error.message, status: error.status };
    else if (error instanceof TurnBusy) terminal = { type: "error", detail: error.message, status: 503 };
    else if (isDatabaseUnavailable(error)) {
      console.error("[chat] turn failed: database unavailable");
      terminal = { type: "error", detail: "The service is temporarily unavailable. Please try again shortly.", status: 503 };
    }
    else {
      console.error("[chat] turn failed:", error);
      terminal = { type: "error", detail: "The reply could not be completed.", status: 500 };
    }
  }
  // The end, in this order: followers on other instances see it (relayed before the room is
  // given to the next turn), the turn and the slot are given back, and only then the clients
  // here hear it — so a client that saw `done` can send again at once.
  if (liveReplies.get(reply.roomId) === reply) liveReplies.delete(reply.roomId);
  void ticket.publish(terminal);
  await ticket.release().catch((error) => console.error("[chat] releasing a turn failed:", error));
  reply.emit(terminal);
  onEvent?.(terminal);
}
