import type { LogJson } from "@/lib/serializers";

export type RoomJson = { id: number; title: string };

export type StreamHandlers = {
  onUser?: (log: LogJson) => void;
  /** `GET /stream/`: the question and the reply so far. */
  onSnapshot?: (snapshot: { user: LogJson; text: string }) => void;
  onDelta: (text: string) => void;
  onTitle?: (room: RoomJson) => void;
  /** The stored bot Log (`stopped` when it was stopped), or null when stopped before any word. */
  onDone: (log: LogJson | null) => void;
};

/** Why a send failed, in terms the UI can explain (docs/ui.md: clear errors for every failure). */
export type SendFailure =
  | { kind: "offline" }
  | { kind: "session" }
  | { kind: "rate_limited"; seconds: number }
  | { kind: "model"; detail: string }
  | { kind: "other"; detail: string }
  | { kind: "aborted" };

/**
 * POSTs (or PATCHes: an edit, docs/chat-turn.md#edit) and reads the reply as Server-Sent Events
 * (docs/chat-turn.md#response-modes). Resolves with undefined when the reply completed, or with
 * the failure. `idempotencyKey` makes a retry of the same send safe
 * (docs/chat-turn.md#replies-that-outlive-the-request): the server answers it without storing the message twice.
 */
export async function postForStream(
  url: string,
  body: unknown,
  signal: AbortSignal,
  handlers: StreamHandlers,
  idempotencyKey?: string,
  method: "POST" | "PATCH" = "POST",
): Promise<SendFailure | undefined> {
  if (typeof navigator !== "undefined" && !navigator.onLine) return { kind: "offline" };
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: {
        "content-type": "application/json",
        accept: "text/event-stream",
        ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
      },
      body: JSON.stringify(body ?? {}),
      signal,
    });
  } catch {
    return signal.aborted ? { kind: "aborted" } : { kind: "offline" };
  }
  if (!res.ok || !res.body) return failureOf(res);
  return readEvents(res, signal, handlers);
}

/**
 * Follows the room's reply in progress, if any (`GET /room/{id}/stream/`, docs/chat-turn.md#replies-that-outlive-the-request): what a
 * reloaded page or a second tab uses. "idle" when nothing is in progress.
 */
export async function followReply(roomId: number, signal: AbortSignal, handlers: StreamHandlers): Promise<SendFailure | "idle" | undefined> {
  let res: Response;
  try {
    res = await fetch(`/api/chatbot/room/${roomId}/stream/`, { headers: { accept: "text/event-stream" }, signal });
  } catch {
    return signal.aborted ? { kind: "aborted" } : { kind: "offline" };
  }
  if (res.status === 204) return "idle";
  if (!res.ok || !res.body) return failureOf(res);
  return readEvents(res, signal, handlers);
}

/** Asks the server to stop the room's reply (`POST /room/{id}/stop/`); true when it answered. */
export async function requestStop(roomId: number): Promise<boolean> {
  try {
    const res = await fetch(`/api/chatbot/room/${roomId}/stop/`, { method: "POST" });
    return res.ok;
  } catch {
    return false;
  }
}

async function readEvents(res: Response, signal: AbortSignal, handlers: StreamHandlers): Promise<SendFailure | undefined> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let boundary: number;
      while ((boundary = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
        const data = JSON.parse(
          block
            .split("\n")
            .filter((line) => line.startsWith("data: "))
            .map((line) => line.slice(6))
            .join("\n") || "null",
        );
        if (event === "user") handlers.onUser?.(data);
        else if (event === "snapshot") handlers.onSnapshot?.(data);
        else if (event === "delta") handlers.onDelta(data.text);
        else if (event === "title") handlers.onTitle?.(data);
        else if (event === "done") {
          finished = true;
          handlers.onDone(data);
        } else if (event === "error") {
          return data.status === 502 || data.status === 504
            ? { kind: "model", detail: data.detail }
            : { kind: "other", detail: data.detail };
        }
      }
    }
  } catch {
    return signal.aborted ? { kind: "aborted" } : { kind: "offline" };
  }
  return finished ? undefined : { kind: "other", detail: "The reply ended early." };
}

async function failureOf(res: Response): Promise<SendFailure> {
  let detail = `HTTP ${res.status}`;
  try {
    const body = await res.json();
    detail = typeof body.detail === "string" ? body.detail : Object.values(body).flat().join(" ");
  } catch {
    // not JSON: keep the status
  }
  if (res.status === 401) return { kind: "session" };
  if (res.status === 429) return { kind: "rate_limited", seconds: Number(res.headers.get("retry-after") ?? 5) };
  if (res.status === 502 || res.status === 504) return { kind: "model", detail };
  return { kind: "other", detail };
}
