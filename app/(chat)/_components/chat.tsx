"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { LogJson } from "@/lib/api/serializers";
import { useI18n } from "@/lib/i18n/client";
import { Composer } from "./composer";
import { Message, type UiMessage } from "./message";
import { hasPendingMessage, setPendingMessage, takePendingMessage } from "./pending-message";
import type { SendFailure } from "./stream-client";
import { useToast } from "./toasts";
import { newKey, useReplyStream } from "./use-reply-stream";

const PAGE = 50;
const toUi = (log: LogJson): UiMessage => ({ key: `log-${log.id}`, id: log.id, role: log.role, message: log.message, stopped: log.stopped });

/**
 * The chat view (SPEC §8): the room's logs (older ones load on scroll up), the composer,
 * the reply streaming in, Stop, Regenerate, Copy, and auto-scroll that lets go when the
 * user scrolls up. Without a room yet (/chat), the first send creates one.
 */
export function Chat({ roomId: initialRoomId, initialLogs, hasOlder: initialHasOlder }: { roomId?: number; initialLogs: LogJson[]; hasOlder: boolean }) {
  const { t } = useI18n();
  const notify = useToast();
  const router = useRouter();
  const roomId = initialRoomId;
  const [messages, setMessages] = useState<UiMessage[]>(() => initialLogs.map(toUi));
  const [hasOlder, setHasOlder] = useState(initialHasOlder);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [draft, setDraft] = useState("");
  // Busy from the first render when a new chat's first message is about to be sent here.
  const [busy, setBusy] = useState(() => roomId !== undefined && hasPendingMessage(roomId));
  // The last failed send, so that sending the same text again never stores it twice (SPEC
  // §6a): with its Idempotency-Key when it is unknown whether it arrived, or as "answer it
  // again" (/regenerate/) when it was stored and only the reply failed.
  const retry = useRef<{ text: string; key: string; stored: boolean } | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const topSentinel = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const restoreFromBottom = useRef<number | null>(null);

  // --- scrolling ---
  const onScroll = () => {
    const el = scroller.current;
    if (el) stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  };
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (restoreFromBottom.current !== null) {
      // Older messages were prepended: keep the view where the user was reading.
      el.scrollTop = el.scrollHeight - restoreFromBottom.current;
      restoreFromBottom.current = null;
    } else if (stickToBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [messages]);

  const loadOlder = useCallback(async () => {
    const first = messages.find((m) => m.id !== undefined);
    if (!roomId || !hasOlder || loadingOlder || !first?.id) return;
    setLoadingOlder(true);
    try {
      const res = await fetch(`/api/chatbot/room/${roomId}/logs/?limit=${PAGE}&before=${first.id}`);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const older: LogJson[] = await res.json();
      const el = scroller.current;
      if (el) restoreFromBottom.current = el.scrollHeight - el.scrollTop;
      setMessages((current) => [...older.map(toUi), ...current]);
      setHasOlder(/rel="prev"/.test(res.headers.get("link") ?? ""));
    } catch (error) {
      notify(t("errorGeneric", { detail: (error as Error).message }));
    } finally {
      setLoadingOlder(false);
    }
  }, [messages, roomId, hasOlder, loadingOlder, notify, t]);

  useEffect(() => {
    const sentinel = topSentinel.current;
    if (!sentinel || !hasOlder) return;
    const observer = new IntersectionObserver((entries) => entries[0]?.isIntersecting && void loadOlder(), {
      root: scroller.current,
      rootMargin: "200px 0px 0px 0px",
    });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [hasOlder, loadOlder]);

  // --- sending ---
  const explain = useCallback(
    (failure: SendFailure) => {
      if (failure.kind === "aborted") return;
      const text =
        failure.kind === "offline"
          ? t("errorOffline")
          : failure.kind === "session"
            ? t("errorSession")
            : failure.kind === "rate_limited"
              ? t("errorRateLimited", { seconds: failure.seconds })
              : failure.kind === "model"
                ? t("errorModel", { detail: failure.detail })
                : t("errorGeneric", { detail: failure.detail });
      notify(text);
      if (failure.kind === "session") router.push(`/sign-in?callbackUrl=${encodeURIComponent(location.pathname)}`);
    },
    [notify, router, t],
  );

  const refresh = useCallback(() => router.refresh(), [router]);
  const { streamReply, stop } = useReplyStream({ roomId, setMessages, setBusy, stickToBottomRef: stickToBottom, explain, refresh });

  async function send(text = draft, isPending = false) {
    const message = text.trim();
    if (!message || (busy && !isPending)) return;
    setBusy(true);
    setDraft("");
    if (!roomId) {
      // A new chat: create the room, go to it, and let the room's view send the message.
      const created = await createRoom();
      if ("kind" in created) {
        setDraft(text);
        setBusy(false);
        return explain(created);
      }
      setPendingMessage(created.id, message);
      router.replace(`/chat/${created.id}`);
      return;
    }
    const id = roomId;
    const stamp = Date.now();
    const userKey = `user-${stamp}`;
    const botKey = `bot-${stamp}`;
    const again = retry.current?.text === message ? retry.current : null;
    retry.current = null;
    if (again?.stored) {
      // The same text after its reply failed: it is stored already, so answer it again.
      setMessages((current) => [...current, { key: botKey, role: "bot", message: "", streaming: true }]);
      const { failure } = await streamReply(`/api/chatbot/room/${id}/regenerate/`, {}, botKey, undefined, newKey());
      if (failure && failure.kind !== "aborted") {
        retry.current = again;
        setDraft(text);
        explain(failure);
      }
      setBusy(false);
      router.refresh();
      return;
    }
    const key = again?.key ?? newKey();
    setMessages((current) => [
      ...current,
      { key: userKey, role: "user", message },
      { key: botKey, role: "bot", message: "", streaming: true },
    ]);
    const { failure, stored } = await streamReply(`/api/chatbot/room/${id}/messages/`, { message }, botKey, userKey, key);
    if (failure && failure.kind !== "aborted") {
      // A failed send keeps the typed text (SPEC §8). If the message was stored (only the
      // reply failed) its bubble stays; if it may not have arrived, it goes.
      if (!stored) setMessages((current) => current.filter((m) => m.key !== userKey));
      retry.current = { text: message, key, stored };
      setDraft(text);
      explain(failure);
    }
    setBusy(false);
    router.refresh(); // the sidebar: new room, new order, new title
  }

  async function regenerate() {
    if (!roomId || busy) return;
    setBusy(true);
    const botKey = `bot-${Date.now()}`;
    setMessages((current) => {
      const last = current.at(-1);
      const kept = last?.role === "bot" ? current.slice(0, -1) : current;
      return [...kept, { key: botKey, role: "bot", message: "", streaming: true }];
    });
    const { failure } = await streamReply(`/api/chatbot/room/${roomId}/regenerate/`, {}, botKey, undefined, newKey());
    if (failure) explain(failure);
    setBusy(false);
    router.refresh();
  }

  // The first message of a new chat arrives with us from /chat (see pending-message.ts).
  const sendRef = useRef(send);
  sendRef.current = send;
  useEffect(() => {
    if (!roomId) return;
    const message = takePendingMessage(roomId);
    if (message) void sendRef.current(message, true);
  }, [roomId]);

  const last = messages.at(-1);
  const empty = messages.length === 0;

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div ref={scroller} onScroll={onScroll} className="min-h-0 flex-1 overflow-y-auto" aria-live="polite" aria-busy={busy}>
        {empty ? (
          <EmptyState onPick={(prompt) => void send(prompt)} />
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
                onRegenerate={message === last && !busy ? () => void regenerate() : undefined}
              />
            ))}
          </div>
        )}
      </div>
      <Composer value={draft} onChange={setDraft} onSend={() => void send()} onStop={() => void stop()} busy={busy} />
    </div>
  );

  async function createRoom(): Promise<{ id: number } | SendFailure> {
    try {
      const res = await fetch("/api/chatbot/room/", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      if (res.status === 401) return { kind: "session" };
      if (res.status === 429) return { kind: "rate_limited", seconds: Number(res.headers.get("retry-after") ?? 5) };
      if (!res.ok) return { kind: "other", detail: `HTTP ${res.status}` };
      return { id: (await res.json()).id };
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
