"use client";

import { lazy, Suspense } from "react";
import type { LogJson } from "@/lib/serializers";
import { useI18n } from "@/lib/i18n/client";
import { AlertIcon, RefreshIcon } from "./icons";
import { MessageActions } from "./message-actions";
import { MessageEditor } from "./message-editor";

// Markdown (react-markdown, remark-gfm and their parsers) is loaded with the first reply, not
// with the page: an empty new chat does not need it, and dev mode compiles it only then.
const Markdown = lazy(() => import("./markdown").then((module) => ({ default: module.Markdown })));

export type UiMessage = {
  key: string;
  id?: number;
  role: "user" | "bot";
  message: string;
  stopped?: boolean;
  streaming?: boolean;
  /** Why this message got no reply (shown under it), and what Retry does about it. */
  error?: string;
  retry?: "resend" | "regenerate";
  /** The Idempotency-Key the user's message was sent with; a resend reuses it. */
  idempotencyKey?: string;
  /** Bot messages: the user's 👍/👎 and its comment. */
  feedback?: LogJson["feedback"];
  feedbackComment?: string | null;
};

export const toUi = (log: LogJson): UiMessage => ({
  key: `log-${log.id}`,
  id: log.id,
  role: log.role,
  message: log.message,
  stopped: log.stopped,
  feedback: log.feedback,
  feedbackComment: log.feedback_comment,
});

/** What a user message offers for "edit and answer again" (use-edit.ts); absent when it cannot be edited. */
export type EditControls = {
  editing: boolean;
  saving: boolean;
  /** A reply is in progress: the Edit button is hidden and Save waits. */
  disabled: boolean;
  /** Focus the Edit button (the editor was just closed by Cancel or Escape). */
  refocus: boolean;
  refocused: () => void;
  start: () => void;
  save: (text: string) => void;
  cancel: () => void;
};

/**
 * One message: the user's as plain text (or, while edited, the inline editor), the bot's as
 * Markdown; the actions under it (message-actions.tsx); an error under it.
 */
export function Message({
  message,
  roomId,
  edit,
  onRegenerate,
  onRetry,
}: {
  message: UiMessage;
  roomId?: number;
  edit?: EditControls;
  onRegenerate?: () => void;
  onRetry?: () => void;
}) {
  const { t } = useI18n();
  const isUser = message.role === "user";

  return (
    <article
      aria-label={isUser ? t("you") : t("bot")}
      data-role={message.role}
      className={`group flex flex-col ${isUser ? "items-end" : "items-start"}`}
    >
      {edit?.editing ? (
        <MessageEditor initial={message.message} saving={edit.saving} disabled={edit.disabled} onSave={edit.save} onCancel={edit.cancel} />
      ) : (
        <div
          className={
            isUser
              ? "max-w-[85%] whitespace-pre-wrap break-words break-keep rounded-2xl bg-zinc-100 px-4 py-2.5 dark:bg-zinc-800"
              : "w-full max-w-none px-1 py-1"
          }
        >
          {isUser ? (
            message.message
          ) : message.message ? (
            <Suspense fallback={<p className="whitespace-pre-wrap break-words break-keep">{message.message}</p>}>
              <Markdown text={message.message} streaming={message.streaming} />
            </Suspense>
          ) : (
            <span className="inline-flex items-center gap-2 text-zinc-500 dark:text-zinc-400" role="status">
              <span className="size-2 animate-pulse rounded-full bg-current" />
              {t("thinking")}
            </span>
          )}
        </div>
      )}
      {message.error && (
        <div
          role="alert"
          className="mt-2 flex max-w-[85%] flex-wrap items-center gap-x-3 gap-y-1 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
        >
          <AlertIcon className="size-4 shrink-0" />
          <p className="min-w-[min(12rem,100%)] flex-1 break-words break-keep">{message.error}</p>
          {onRetry && (
            <button
              type="button"
              onClick={onRetry}
              className="inline-flex items-center gap-1 rounded-md border border-red-300 bg-white px-2 py-1 font-medium text-red-800 hover:bg-red-100 focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-red-800 dark:bg-red-900 dark:text-red-100 dark:hover:bg-red-800"
            >
              <RefreshIcon className="size-3.5" />
              {t("retry")}
            </button>
          )}
        </div>
      )}
      {!message.streaming && !edit?.editing && <MessageActions message={message} roomId={roomId} edit={edit} onRegenerate={onRegenerate} />}
    </article>
  );
}
