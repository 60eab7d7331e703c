"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useEffectEvent, useState } from "react";
import type { LogJson, RoomJson } from "@/lib/serializers";
import { useI18n } from "@/lib/i18n/client";
import { Composer } from "./composer";
import { Message, toUi, type UiMessage } from "./message";
import { hasPendingMessage, setPendingMessage, takePendingMessage } from "../_lib/pending-message";
import type { SidebarRoom } from "../sidebar-data";
import type { SendFailure } from "../_lib/stream-client";
import { useAnnounceRoom } from "./new-rooms";
import { ModelPicker } from "./model-picker";
import { RoomHeader } from "./room-header";
import { RoomSettingsButton } from "./room-settings";
import { useToast } from "./toasts";
import { useEdit } from "../_hooks/use-edit";
import { newKey, useReplyStream } from "../_hooks/use-reply-stream";
import { useChatScroll } from "../_hooks/use-chat-scroll";
import { useRoomSettings, type ModelChoice } from "../_hooks/use-room-settings";

/** React keys of messages not stored yet (stored ones are keyed by their log id). */
let localKeys = 0;
const nextLocalKey = () => ++localKeys;

/**
 * The chat view (docs/ui.md): the room's logs (older ones load on scroll up), the composer,
 * the reply streaming in, Stop, Regenerate, Copy, Edit (use-edit.ts), 👍/👎, and auto-scroll
 * that lets go when the user scrolls up. Without a room yet (/chat), the first send creates one,
 * with the model picked for it. A room's header has its title and its settings (model, system prompt).
 */
export function Chat({
  roomId: initialRoomId,
  room,
  models,
  initialLogs,
  hasOlder: initialHasOlder,
}: {
  roomId?: number;
  room?: { title: string; model: string | null; systemPrompt: string | null };
  models: ModelChoice[];
  initialLogs: LogJson[];
  hasOlder: boolean;
}) {
  const { t } = useI18n();
  const notify = useToast();
  const router = useRouter();
  const announceRoom = useAnnounceRoom();
  const roomId = initialRoomId;
  const [messages, setMessages] = useState<UiMessage[]>(() => initialLogs.map(toUi));
  const [draft, setDraft] = useState("");
  // Busy from the first render when a new chat's first message is about to be sent here.
  const [busy, setBusy] = useState(() => roomId !== undefined && hasPendingMessage(roomId));
  const roomSettings = useRoomSettings(roomId, { model: room?.model ?? null, systemPrompt: room?.systemPrompt ?? null });

  const onScrollError = useCallback((error: Error) => notify(t("errorGeneric", { detail: error.message })), [notify, t]);
  const { scroller, topSentinel, onScroll, stickToBottom, loadingOlder } = useChatScroll({
    roomId,
    messages,
    setMessages,
    initialHasOlder,
    onError: onScrollError,
  });

  // --- sending ---
  /** What went wrong, in words; undefined when nothing did (a Stop). */
  const describe = useCallback(
    (failure: SendFailure) =>
      failure.kind === "offline"
        ? t("errorOffline")
        : failure.kind === "session"
          ? t("errorSession")
          : failure.kind === "rate_limited"
            ? t("errorRateLimited", { seconds: failure.seconds })
            : failure.kind === "model"
              ? t("errorModel", { detail: failure.detail })
              : failure.kind === "other"
                ? t("errorGeneric", { detail: failure.detail })
                : undefined,
    [t],
  );
  /** A failure with no message to show it under: a toast (and sign-in when the session ended). */
  const explain = useCallback(
    (failure: SendFailure) => {
      const text = describe(failure);
      if (text) notify(text);
      if (failure.kind === "session") router.push(`/sign-in?callbackUrl=${encodeURIComponent(location.pathname)}`);
    },
    [describe, notify, router],
  );
  const markFailed = (key: string, error: string, retry: UiMessage["retry"]) =>
    setMessages((current) => current.map((m) => (m.key === key ? { ...m, error, retry } : m)));

  const refresh = useCallback(() => router.refresh(), [router]);
  const { streamReply, stop } = useReplyStream({ roomId, setMessages, setBusy, stickToBottomRef: stickToBottom, explain, refresh });
  const editControls = useEdit({ roomId, busy, setBusy, setMessages, streamReply, describe, explain, refresh });

  /**
   * Sends `text`. From the composer (the default) the box is emptied; a Retry or a new chat's
   * first message leaves it alone. A failed reply is shown under the message with Retry
   * (docs/ui.md: the message is kept, there — never also put back in the box).
   */
  async function send(text = draft, options: { pending?: boolean; fromComposer?: boolean; key?: string } = { fromComposer: true }) {
    const message = text.trim();
    if (!message || (busy && !options.pending)) return;
    setBusy(true);
    if (options.fromComposer) setDraft("");
    if (!roomId) {
      // A new chat: create the room, go to it, and let the room's view send the message.
      const created = await createRoom();
      if ("kind" in created) {
        if (options.fromComposer) setDraft(text);
        setBusy(false);
        return explain(created);
      }
      setPendingMessage(created.id, message);
      announceRoom(created);
      router.replace(`/chat/${created.id}`);
      return;
    }
    const id = roomId;
    const stamp = nextLocalKey();
    const userKey = `user-${stamp}`;
    const botKey = `bot-${stamp}`;
    // A resend keeps its first Idempotency-Key: if the first try did arrive, it is not stored twice.
    const key = options.key ?? newKey();
    setMessages((current) => [
      ...current.map((m) => (m.retry ? { ...m, retry: undefined } : m)),
      { key: userKey, role: "user", message, idempotencyKey: key },
      { key: botKey, role: "bot", message: "", streaming: true },
    ]);
    await roomSettings.settled(); // a model picked just now answers this message
    const { failure, stored } = await streamReply(`/api/chatbot/room/${id}/messages/`, { message }, botKey, userKey, key);
    if (failure?.kind === "session") {
      // Signed out: the message goes back to the box for after signing in again.
      setMessages((current) => current.filter((m) => m.key !== userKey));
      if (options.fromComposer) setDraft(text);
      explain(failure);
    } else if (failure && failure.kind !== "aborted") {
      // Stored but unanswered → Retry asks for the reply again; never arrived → Retry resends it.
      markFailed(userKey, describe(failure)!, stored ? "regenerate" : "resend");
    }
    setBusy(false);
    // The sidebar: new order, new title. Not while offline: a refresh that cannot reach the
    // server turns into a full page load, which would lose the unsent message.
    if (failure?.kind !== "offline") router.refresh();
  }

  async function regenerate() {
    if (!roomId || busy) return;
    setBusy(true);
    const botKey = `bot-${nextLocalKey()}`;
    setMessages((current) => {
      const last = current.at(-1);
      const kept = (last?.role === "bot" ? current.slice(0, -1) : current).map((m) => (m.error ? { ...m, error: undefined, retry: undefined } : m));
      return [...kept, { key: botKey, role: "bot", message: "", streaming: true }];
    });
    await roomSettings.settled();
    const { failure } = await streamReply(`/api/chatbot/room/${roomId}/regenerate/`, {}, botKey, undefined, newKey());
    if (failure?.kind === "session") explain(failure);
    else if (failure && failure.kind !== "aborted") {
      // Under the question it was answering (Regenerate is only offered after one).
      const error = describe(failure)!;
      setMessages((current) => {
        const question = current.findLast((m) => m.role === "user");
        return current.map((m) => (m === question ? { ...m, error, retry: "regenerate" } : m));
      });
    }
    setBusy(false);
    if (failure?.kind !== "offline") router.refresh();
  }

  function retry(message: UiMessage) {
    if (message.retry === "regenerate") return void regenerate();
    setMessages((current) => current.filter((m) => m.key !== message.key));
    void send(message.message, { key: message.idempotencyKey });
  }

  // The first message of a new chat arrives with us from /chat (see pending-message.ts).
  const sendPending = useEffectEvent((message: string) => void send(message, { pending: true }));
  useEffect(() => {
    if (!roomId) return;
    const message = takePendingMessage(roomId);
    // Sending is the effect's job (an outside call); it marks the view busy as it starts.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (message) sendPending(message);
  }, [roomId]);

  async function changeModel(model: string | null) {
    const result = await roomSettings.save({ model });
    if (!result.ok) notify(t("errorGeneric", { detail: result.error }));
  }

  const last = messages.at(-1);
  const empty = messages.length === 0;

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      {room && (
        <RoomHeader title={room.title}>
          <RoomSettingsButton models={models} settings={roomSettings.settings} onSave={roomSettings.save} />
        </RoomHeader>
      )}
      <div ref={scroller} onScroll={onScroll} className="min-h-0 flex-1 overflow-y-auto" aria-live="polite" aria-busy={busy}>
        {empty ? (
          <EmptyState onPick={(prompt) => void send(prompt, {})} />
        ) : (
          <div className="mx-auto flex w-full max-w-3xl flex-col gap-5 px-4 py-6">
            <div ref={topSentinel} />
            {loadingOlder && (
              <p role="status" className="text-center text-sm text-zinc-500">
                {t("loadingOlder")}
              </p>
            )}
            {messages.map((message) => (
              <Message
                key={message.key}
                message={message}
                roomId={roomId}
                edit={editControls(message)}
                onRegenerate={message === last && message.role === "bot" && !busy ? () => void regenerate() : undefined}
                onRetry={message === last && message.retry && !busy ? () => retry(message) : undefined}
              />
            ))}
          </div>
        )}
      </div>
      <Composer
        value={draft}
        onChange={setDraft}
        onSend={() => void send()}
        onStop={() => void stop()}
        busy={busy}
        tools={
          models.length > 1 ? (
            <ModelPicker models={models} value={roomSettings.settings.model} onChange={(model) => void changeModel(model)} />
          ) : undefined
        }
      />
    </div>
  );

  async function createRoom(): Promise<SidebarRoom | SendFailure> {
    try {
      const res = await fetch("/api/chatbot/room/", {
        method: "POST",
        headers: { "content-type": "application/json" },
        // The model picked before the chat existed (docs/ui.md#chat-settings).
        body: JSON.stringify(roomSettings.settings.model ? { model: roomSettings.settings.model } : {}),
      });
      if (res.status === 401) return { kind: "session" };
      if (res.status === 429) return { kind: "rate_limited", seconds: Number(res.headers.get("retry-after") ?? 5) };
      if (!res.ok) return { kind: "other", detail: `HTTP ${res.status}` };
      const room: RoomJson = await res.json();
      return { id: room.id, title: room.title, updatedAt: room.updated_at };
    } catch {
      return { kind: "offline" };
    }
  }
}

function EmptyState({ onPick }: { onPick: (prompt: string) => void }) {
  const { t } = useI18n();
  return (
    <div className="mx-auto flex h-full max-w-3xl flex-col items-center justify-center gap-6 px-4 py-10">
      <h1 className="text-center text-2xl font-semibold sm:text-3xl">{t("emptyTitle")}</h1>
      <div className="grid w-full gap-2 sm:grid-cols-2">
        {t("starters")
          .split("|")
          .map((prompt) => (
            <button
              key={prompt}
              type="button"
              onClick={() => onPick(prompt)}
              className="rounded-xl border border-zinc-200 px-4 py-3 text-left text-sm text-zinc-700 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-zinc-800 dark:text-zinc-300 dark:hover:bg-zinc-900"
            >
              {prompt}
            </button>
          ))}
      </div>
    </div>
  );
}
