import { ModelError } from "@/lib/llm";
import { logTurn } from "@/lib/log";
import { metrics } from "@/lib/metrics";

type Events = { onDelta?: (text: string) => void };

/**
 * Wraps one bot turn (lib/chat/turn.ts) for operators: `ainfo_replies_in_progress` while it
 * runs, time to first token, the outcome and model errors in the metrics, and one `turn`
 * log line (room id, model, timings, size; never the text). `run` gets the same events with
 * `onDelta` wrapped; its result or error passes through unchanged.
 */
export async function observeTurn<E extends Events, R extends { status: string }>(
  /** `model`: the id that answers the room's turn, or "offline". */
  turn: { roomId: number; model: string },
  events: E,
  run: (events: E) => Promise<R>,
): Promise<R> {
  const m = metrics();
  const started = performance.now();
  let firstTokenMs: number | undefined;
  let tokens = 0;
  let chars = 0;
  const observed: E = {
    ...events,
    onDelta: (text: string) => {
      if (firstTokenMs === undefined) {
        firstTokenMs = performance.now() - started;
        m.firstToken.observe(firstTokenMs / 1000);
      }
      tokens += 1;
      chars += text.length;
      events.onDelta?.(text);
    },
  };
  const line = { roomId: turn.roomId, model: turn.model };
  const finish = (outcome: string, status?: number, err?: unknown) => {
    m.repliesInProgress.dec();
    m.replies.inc({ outcome });
    logTurn({ ...line, outcome, status, err, durationMs: performance.now() - started, firstTokenMs, tokens, chars });
  };

  m.repliesInProgress.inc();
  try {
    const result = await run(observed);
    finish(result.status);
    return result;
  } catch (error) {
    if (error instanceof ModelError) {
      m.modelErrors.inc({ status: String(error.status) });
      finish("model_error", error.status);
    } else {
      finish("error", undefined, error);
    }
    throw error;
  }
}
