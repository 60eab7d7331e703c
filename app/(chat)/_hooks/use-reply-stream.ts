"use client";

import { useCallback, useEffect, useRef, type Dispatch, type MutableRefObject, type SetStateAction } from "react";
import type { LogJson } from "@/lib/serializers";
import { toUi, type UiMessage } from "../_components/message";
import { hasPendingMessage } from "../_lib/pending-message";
import { followReply, postForStream, requestStop, type SendFailure, type StreamHandlers } from "../_lib/stream-client";


/** A fresh Idempotency-Key (randomUUID needs a secure context; plain http on a LAN is not one). */
export const newKey = () => globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/**
 * The chat view's side of a reply (docs/chat-turn.md#replies-that-outlive-the-request): the reply runs on the server and belongs to
 * the room, so the view streams it while sending, follows it again when its connection is
 * lost, picks up a reply already in progress (a reload, a room switch, a second tab) and
 * stops it through the server.
 */
/** How often an idle, visible room view asks whether a reply has started elsewhere. */
const WATCH_INTERVAL_MS = 3_000;

export function useReplyStream({
  roomId,
  setMessages,
  setBusy,
  stickToBottomRef,
  explain,
  refresh,
}: {
  roomId: number | undefined;
  setMessages: Dispatch<SetStateAction<UiMessage[]>>;
  setBusy: (busy: boolean) => void;
  stickToBottomRef: MutableRefObject<boolean>;
  explain: (failure: SendFailure) => void;
  refresh: () => void;
}) {
  const abortRef = useRef<AbortController | null>(null);
  const followingRef = useRef(false);

  const update = useCallback(
    (key: string, change: Partial<UiMessage>) => setMessages((current) => current.map((m) => (m.key === key ? { ...m, ...change } : m))),
    [setMessages],
  );
  const remove = useCallback((key: string) => setMessages((current) => current.filter((m) => m.key !== key)), [setMessages]);
  /** The end of a reply: the stored Log (stopped or not), or nothing when stopped at once. */
  const finish = useCallback(
    (botKey: string, log: LogJson | null) =>
      log ? update(botKey, { id: log.id, message: log.message, stopped: log.stopped, streaming: false }) : remove(botKey),
    [update, remove],
  );

  /**
   * Streams a reply into the placeholder `botKey`; returns the failure, if any, and whether
   * the question was stored. A connection lost after that is not the reply's end (it runs on
   * on the server): the view follows it again with /stream/. An edit PATCHes instead of
   * POSTing, and hears through `onUser` that the server has taken it.
   */
  const streamReply = useCallback(
    async (
      url: string,
      body: unknown,
      botKey: string,
      userKey?: string,
      idempotencyKey?: string,
      options: { method?: "POST" | "PATCH"; onUser?: (log: LogJson) => void } = {},
    ) => {
      const controller = new AbortController();
      abortRef.current = controller;
      stickToBottomRef.current = true;
      let text = "";
      let stored = false;
      let failure = await postForStream(
        url,
        body,
        controller.signal,
        {
          onUser: (log) => {
            stored = true;
            if (userKey) update(userKey, { id: log.id });
            options.onUser?.(log);
          },
          onDelta: (piece) => {
            text += piece;
            update(botKey, { message: text });
          },
          onDone: (log) => finish(botKey, log),
        },
        idempotencyKey,
        options.method,
      );
      if (stored && roomId && (failure?.kind === "offline" || failure?.kind === "other")) {
        const resumed = await followReply(roomId, controller.signal, {
          onSnapshot: (snapshot) => update(botKey, { message: (text = snapshot.text) }),
          onDelta: (piece) => update(botKey, { message: (text += piece) }),
          onDone: (log) => finish(botKey, log),
        });
        if (resumed === "idle") {
          // Over meanwhile: the stored reply is the room's last log.
          const logs = await fetch(`/api/chatbot/room/${roomId}/logs/?limit=1`).then((r) => (r.ok ? r.json() : []), () => []);
          const last: LogJson | undefined = logs[0];
          if (last?.role === "bot") finish(botKey, last);
          failure = last?.role === "bot" ? undefined : failure;
        } else failure = resumed;
      }
      abortRef.current = null;
      if (failure?.kind === "aborted") {
        if (text) update(botKey, { streaming: false, stopped: true });
        else remove(botKey);
      } else if (failure) {
        remove(botKey);
      }
      return { failure, stored };
    },
    [roomId, update, remove, finish, stickToBottomRef],
  );

  /** Shows the room's reply in progress, if any (a reload, a room switch, a second tab). */
  const followInProgress = useCallback(async () => {
    if (!roomId || followingRef.current || abortRef.current) return;
    followingRef.current = true;
    const controller = new AbortController();
    let botKey: string | undefined;
    let text = "";
    const handlers: StreamHandlers = {
      onSnapshot: ({ user, text: soFar }) => {
        // This tab sent a message while the follow was being asked for: the reply in progress
        // is that message's, shown by the send's own stream — following it too showed it twice.
        if (abortRef.current && abortRef.current !== controller) {
          controller.abort();
          return;
        }
        abortRef.current = controller;
        setBusy(true);
        stickToBottomRef.current = true;
        botKey = `bot-live-${user.id}`;
        text = soFar;
        const placeholder: UiMessage = { key: botKey, role: "bot", message: soFar, streaming: true };
        setMessages((current) => {
          // Its Log may be rendered already (stored, while the room's title is being chosen).
          if (current.some((m) => m.role === "bot" && m.id !== undefined && m.id > user.id)) return current;
          return [...(current.some((m) => m.id === user.id) ? current : [...current, toUi(user)]), placeholder];
        });
      },
      onDelta: (piece) => botKey && update(botKey, { message: (text += piece) }),
      onDone: (log) => botKey && finish(botKey, log),
    };
    const result = await followReply(roomId, controller.signal, handlers);
    followingRef.current = false;
    if (result === "idle" || !botKey) return;
    if (abortRef.current === controller) abortRef.current = null;
    if (result) {
      remove(botKey);
      explain(result);
    }
    setBusy(false);
    refresh();
  }, [roomId, update, remove, finish, explain, refresh, setBusy, setMessages, stickToBottomRef]);

  useEffect(() => {
    if (!roomId || hasPendingMessage(roomId)) return;
    void followInProgress();
    // Another tab or device may have started a reply here meanwhile.
    const onVisible = () => document.visibilityState === "visible" && void followInProgress();
    document.addEventListener("visibilitychange", onVisible);
    window.addEventListener("focus", onVisible);
    // A tab left open on the room (a second window beside the first) picks up a reply
    // started elsewhere within seconds; while idle, that is one `204` from /stream/ per poll.
    const poll = setInterval(onVisible, WATCH_INTERVAL_MS);
    return () => {
      document.removeEventListener("visibilitychange", onVisible);
      window.removeEventListener("focus", onVisible);
      clearInterval(poll);
    };
  }, [roomId, followInProgress]);

  const stop = useCallback(async () => {
    // The reply runs on the server: ask it to stop; this stream then ends with the stopped Log.
    if (!roomId || !(await requestStop(roomId))) abortRef.current?.abort();
  }, [roomId]);

  return { streamReply, stop };
}
