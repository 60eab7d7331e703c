"use client";

import { useEffect, useRef, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { FeedbackButtons } from "./feedback-buttons";
import { CheckIcon, CopyIcon, PencilIcon, RefreshIcon } from "./icons";
import type { EditControls, UiMessage } from "./message";

const actionButton =
  "rounded-md p-1.5 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-zinc-800 dark:hover:text-zinc-100";

/**
 * The row under a message (docs/ui.md#chat-view): Copy on every message; Edit on the user's
 * own (shown on hover or focus with a mouse, always on a touch screen); Regenerate on the
 * last reply; 👍/👎 on every stored reply.
 */
export function MessageActions({
  message,
  roomId,
  edit,
  onRegenerate,
}: {
  message: UiMessage;
  roomId?: number;
  edit?: EditControls;
  onRegenerate?: () => void;
}) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const refocus = edit?.refocus;
  const refocused = edit?.refocused;
  // Back from the editor (Cancel, Escape): focus returns to the button that opened it, once.
  useEffect(() => {
    if (!refocus) return;
    editButton.current?.focus();
    refocused?.();
  }, [refocus, refocused]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(message.message);
      setCopied(true);
      setTimeout(() => setCopied(false), 1_500);
    } catch {
      // clipboard refused (permissions): nothing to do
    }
  }

  return (
    <div className="mt-1 flex flex-wrap items-center gap-1 text-zinc-500 dark:text-zinc-400">
      {message.stopped && <span className="px-1 text-xs">{t("stopped")}</span>}
      {edit && !edit.disabled && (
        <button
          ref={editButton}
          type="button"
          onClick={edit.start}
          aria-label={t("editMessage")}
          title={t("editMessage")}
          className={`${actionButton} opacity-0 group-focus-within:opacity-100 group-hover:opacity-100 focus-visible:opacity-100 pointer-coarse:opacity-100`}
        >
          <PencilIcon />
        </button>
      )}
      <button type="button" onClick={copy} aria-label={copied ? t("copied") : t("copy")} title={copied ? t("copied") : t("copy")} className={actionButton}>
        {copied ? <CheckIcon /> : <CopyIcon />}
      </button>
      {onRegenerate && (
        <button type="button" onClick={onRegenerate} aria-label={t("regenerate")} title={t("regenerate")} className={actionButton}>
          <RefreshIcon />
        </button>
      )}
      {message.role === "bot" && roomId !== undefined && message.id !== undefined && (
        <FeedbackButtons roomId={roomId} logId={message.id} initial={{ rating: message.feedback ?? null, comment: message.feedbackComment ?? null }} />
      )}
    </div>
  );
}
