"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, useState, type Dispatch, type SetStateAction } from "react";
import type { LogJson } from "@/lib/serializers";
import { toUi, type UiMessage } from "../_components/message";

const PAGE = 50;

/**
 * The chat view's scrolling (docs/ui.md#chat-view): it follows the reply while the reader is
 * at the bottom and lets go when they scroll up; older messages load as the top comes near,
 * keeping the reader's place.
 */
export function useChatScroll(params: {
  roomId: number | undefined;
  messages: UiMessage[];
  setMessages: Dispatch<SetStateAction<UiMessage[]>>;
  initialHasOlder: boolean;
  onError: (error: Error) => void;
}) {
  const { roomId, messages, setMessages, onError } = params;
  const [hasOlder, setHasOlder] = useState(params.initialHasOlder);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const topSentinel = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const restoreFromBottom = useRef<number | null>(null);

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

  // A phone turned sideways, a window resized: a view that was at the bottom stays there.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      if (stickToBottom.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

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
      onError(error as Error);
    } finally {
      setLoadingOlder(false);
    }
  }, [messages, roomId, hasOlder, loadingOlder, setMessages, onError]);

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

  return { scroller, topSentinel, onScroll, stickToBottom, hasOlder, loadingOlder };
}
