"use client";

import { useEffect, useId, useRef, useState } from "react";
import type { LogJson } from "@/lib/serializers";
import { useI18n } from "@/lib/i18n/client";
import { FEEDBACK_COMMENT_MAX } from "@/lib/limits";
import { useToast } from "./toasts";

type Rating = "up" | "down";
type Feedback = { rating: Rating | null; comment: string | null };

const button =
  "rounded-md p-1.5 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-blue-600 aria-pressed:text-blue-700 dark:hover:bg-zinc-800 dark:hover:text-zinc-100 dark:aria-pressed:text-blue-300";

/**
 * 👍/👎 on a reply (docs/ui.md#chat-view, docs/api.md#feedback): a toggle each (pressed shows
 * the rating; pressing it again clears it). 👎 also opens a small field for an optional
 * comment, shown under the reply once sent. Saved at once, put back if the server refuses.
 */
export function FeedbackButtons({ roomId, logId, initial }: { roomId: number; logId: number; initial: Feedback }) {
  const { t } = useI18n();
  const notify = useToast();
  const [feedback, setFeedback] = useState<Feedback>(initial);
  const [asking, setAsking] = useState(false);
  const downButton = useRef<HTMLButtonElement>(null);

  async function save(next: Feedback) {
    const before = feedback;
    setFeedback(next);
    try {
      const url = `/api/chatbot/room/${roomId}/logs/${logId}/feedback/`;
      const res = next.rating
        ? await fetch(url, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(next) })
        : await fetch(url, { method: "DELETE" });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      if (res.status === 200) {
        const log: LogJson = await res.json();
        setFeedback({ rating: log.feedback, comment: log.feedback_comment });
      }
      return true;
    } catch (error) {
      setFeedback(before);
      notify(navigator.onLine ? t("errorGeneric", { detail: (error as Error).message }) : t("errorOffline"));
      return false;
    }
  }

  function rate(rating: Rating) {
    if (feedback.rating === rating) {
      setAsking(false);
      return void save({ rating: null, comment: null });
    }
    setAsking(rating === "down");
    void save({ rating, comment: null });
  }

  return (
    <>
      <button type="button" onClick={() => rate("up")} aria-pressed={feedback.rating === "up"} aria-label={t("goodReply")} title={t("goodReply")} className={button}>
        <ThumbIcon pressed={feedback.rating === "up"} />
      </button>
      <button
        ref={downButton}
        type="button"
        onClick={() => rate("down")}
        aria-pressed={feedback.rating === "down"}
        aria-expanded={asking}
        aria-label={t("badReply")}
        title={t("badReply")}
        className={button}
      >
        <ThumbIcon down pressed={feedback.rating === "down"} />
      </button>
      {asking ? (
        <CommentForm
          onSend={async (comment) => {
            if (await save({ rating: "down", comment })) setAsking(false);
          }}
          onClose={() => {
            setAsking(false);
            downButton.current?.focus();
          }}
        />
      ) : (
        feedback.rating === "down" &&
        feedback.comment && (
          <p className="basis-full px-1 text-sm break-words break-keep text-zinc-600 dark:text-zinc-400">
            <span className="sr-only">{t("feedbackYourComment")}: </span>“{feedback.comment}”
          </p>
        )
      )}
    </>
  );
}

/** The optional comment for a 👎: Send saves it, Skip or Escape closes the field. */
function CommentForm({ onSend, onClose }: { onSend: (comment: string) => Promise<void>; onClose: () => void }) {
  const { t } = useI18n();
  const [comment, setComment] = useState("");
  const [sending, setSending] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  useEffect(() => field.current?.focus(), []);

  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault();
        if (!comment.trim() || sending) return onClose();
        setSending(true);
        await onSend(comment.trim());
        setSending(false);
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          onClose();
        }
      }}
      className="mt-1 flex w-full max-w-md basis-full flex-col gap-2 rounded-xl border border-zinc-200 bg-white p-2 text-zinc-800 shadow-sm dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200"
    >
      <label htmlFor={id} className="px-1 text-sm">
        {t("feedbackCommentLabel")}
      </label>
      <textarea
        id={id}
        ref={field}
        value={comment}
        onChange={(event) => setComment(event.target.value)}
        maxLength={FEEDBACK_COMMENT_MAX}
        rows={2}
        className="resize-none rounded-lg border border-zinc-300 bg-transparent px-2 py-1.5 text-sm outline-none focus:border-zinc-400 focus:ring-2 focus:ring-blue-600/30 dark:border-zinc-700"
      />
      <div className="flex justify-end gap-2">
        <button
          type="button"
          onClick={onClose}
          className="rounded-lg px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-zinc-800"
        >
          {t("feedbackSkip")}
        </button>
        <button
          type="submit"
          disabled={sending || !comment.trim()}
          className="rounded-lg bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 disabled:bg-zinc-300 disabled:text-zinc-600 dark:bg-white dark:text-zinc-900 dark:disabled:bg-zinc-700 dark:disabled:text-zinc-300"
        >
          {t("feedbackSend")}
        </button>
      </div>
    </form>
  );
}

/** A thumb, up or down; filled when pressed. Decorative: the button carries the name. */
function ThumbIcon({ down, pressed }: { down?: boolean; pressed: boolean }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      fill={pressed ? "currentColor" : "none"}
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      className={`size-4 shrink-0 ${down ? "-scale-y-100" : ""}`}
    >
      <path d="M7 10v12M15 5.9 14 10h5.8a2 2 0 0 1 1.9 2.6l-2.3 8A2 2 0 0 1 17.5 22H4a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2h2.8a2 2 0 0 0 1.8-1.1L12 2a3.1 3.1 0 0 1 3 3.9Z" />
    </svg>
  );
}
