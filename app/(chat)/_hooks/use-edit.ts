"use client";

import { useRef, useState, type Dispatch, type SetStateAction } from "react";
import type { LogJson } from "@/lib/serializers";
import type { EditControls, UiMessage } from "../_components/message";
import type { SendFailure } from "../_lib/stream-client";
import { newKey, type useReplyStream } from "./use-reply-stream";

/**
 * "Edit and answer again" in the chat view (docs/ui.md#chat-view, docs/chat-turn.md#edit): one
 * message at a time is open in its inline editor. Save PATCHes the log and streams the new
 * answer exactly as a send does (use-reply-stream.ts). The editor stays open until the server
 * has taken the edit (its `user` event): only then are the later messages removed from view
 * and the new reply streamed in, so an edit that never arrived keeps both the conversation
 * and the typed text. A reply that fails after that is shown under the edited message, with
 * Retry (which answers it again).
 */
export function useEdit({
  roomId,
  busy,
  setBusy,
  setMessages,
  streamReply,
  describe,
  explain,
  refresh,
}: {
  roomId: number | undefined;
  busy: boolean;
  setBusy: (busy: boolean) => void;
  setMessages: Dispatch<SetStateAction<UiMessage[]>>;
  streamReply: ReturnType<typeof useReplyStream>["streamReply"];
  describe: (failure: SendFailure) => string | undefined;
  explain: (failure: SendFailure) => void;
  refresh: () => void;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [refocus, setRefocus] = useState<string | null>(null);
  // Saving the same text again (after a failure) reuses its Idempotency-Key: an edit that did
  // arrive is then answered once, not twice.
  const lastAttempt = useRef<{ key: string; logId: number; text: string } | null>(null);

  async function save(target: UiMessage, text: string) {
    const message = text.trim();
    if (!roomId || target.id === undefined || busy || saving || !message) return;
    const logId = target.id;
    const attempt =
      lastAttempt.current?.logId === logId && lastAttempt.current.text === message ? lastAttempt.current : { key: newKey(), logId, text: message };
    lastAttempt.current = attempt;
    setBusy(true);
    setSaving(true);
    const botKey = `bot-edit-${attempt.key}`;
    const taken = (log: LogJson) => {
      setEditing(null);
      setSaving(false);
      // What the server now holds: the edited message, nothing after it, the reply to come.
      setMessages((current) => {
        const at = current.findIndex((m) => m.key === target.key);
        if (at < 0) return current;
        const edited: UiMessage = { ...current[at]!, message: log.message, error: undefined, retry: undefined };
        return [...current.slice(0, at), edited, { key: botKey, role: "bot", message: "", streaming: true }];
      });
    };
    const { failure, stored } = await streamReply(
      `/api/chatbot/room/${roomId}/logs/${logId}/`,
      { message },
      botKey,
      target.key,
      attempt.key,
      { method: "PATCH", onUser: taken },
    );
    setSaving(false);
    if (!stored) {
      // Never taken: the editor is still open with the text; say why.
      if (failure && failure.kind !== "aborted") explain(failure);
    } else {
      lastAttempt.current = null;
      if (failure?.kind === "session") explain(failure);
      else if (failure && failure.kind !== "aborted") {
        const error = describe(failure)!;
        setMessages((current) => current.map((m) => (m.key === target.key ? { ...m, error, retry: "regenerate" } : m)));
      }
    }
    setBusy(false);
    if (failure?.kind !== "offline") refresh();
  }

  /** The controls of one message; undefined when it cannot be edited (a reply, or not stored yet). */
  return function controlsFor(message: UiMessage): EditControls | undefined {
    if (message.role !== "user" || message.id === undefined || !roomId) return undefined;
    return {
      editing: editing === message.key,
      saving: saving && editing === message.key,
      disabled: busy,
      refocus: refocus === message.key,
      refocused: () => setRefocus(null),
      start: () => {
        setRefocus(null);
        setEditing(message.key);
      },
      save: (text) => void save(message, text),
      cancel: () => {
        setEditing(null);
        setRefocus(message.key);
      },
    };
  };
}
