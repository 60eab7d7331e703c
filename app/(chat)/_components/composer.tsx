"use client";

import { useEffect, useId, useRef, useSyncExternalStore } from "react";
import { useI18n } from "@/lib/i18n/client";
import { SendIcon, StopIcon } from "./icons";
import { MESSAGE_MAX } from "@/lib/limits";


/** A touch screen as the main pointer: its keyboard's Enter is for new lines (as in messengers). */
const TOUCH = "(pointer: coarse)";
const isTouch = () => typeof window !== "undefined" && window.matchMedia(TOUCH).matches;
const onTouchChange = (notify: () => void) => {
  const query = window.matchMedia(TOUCH);
  query.addEventListener("change", notify);
  return () => query.removeEventListener("change", notify);
};

/**
 * The message box: Enter sends, Shift+Enter adds a line, and Enter during an IME
 * composition (Korean's last syllable) only commits the syllable (docs/ui.md). On touch
 * devices Enter adds a line and the Send button sends.
 */
export function Composer({
  value,
  onChange,
  onSend,
  onStop,
  busy,
  tools,
}: {
  value: string;
  onChange: (value: string) => void;
  onSend: () => void;
  onStop: () => void;
  busy: boolean;
  /** Controls shown under the box (the model picker). */
  tools?: React.ReactNode;
}) {
  const { t } = useI18n();
  const textarea = useRef<HTMLTextAreaElement>(null);
  // False on the server and while hydrating, then the device's answer.
  const touch = useSyncExternalStore(onTouchChange, isTouch, () => false);

  useEffect(() => {
    const el = textarea.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 240)}px`;
  }, [value]);
  useEffect(() => textarea.current?.focus(), []);

  const hintId = useId();
  const canSend = !busy && value.trim().length > 0 && Array.from(value).length <= MESSAGE_MAX;

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (canSend) onSend();
      }}
      className="mx-auto w-full max-w-3xl px-3 pb-3 sm:px-4 sm:pb-4"
    >
      <div className="flex items-end gap-2 rounded-2xl border border-zinc-300 bg-white p-2 shadow-sm focus-within:border-zinc-400 focus-within:ring-2 focus-within:ring-blue-600/30 dark:border-zinc-700 dark:bg-zinc-900">
        <textarea
          ref={textarea}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          onKeyDown={(event) => {
            if (event.key !== "Enter" || event.shiftKey || isTouch()) return;
            if (event.nativeEvent.isComposing || event.keyCode === 229) return;
            event.preventDefault();
            if (canSend) onSend();
          }}
          rows={1}
          aria-label={t("composerLabel")}
          aria-describedby={hintId}
          placeholder={t("composerPlaceholder")}
          enterKeyHint={touch ? "enter" : "send"}
          className="max-h-60 min-h-10 flex-1 resize-none bg-transparent px-2 py-2 text-[15px] outline-none placeholder:text-zinc-500"
        />
        {busy ? (
          <button
            type="button"
            onClick={onStop}
            aria-label={t("stop")}
            title={t("stop")}
            className="grid size-10 place-items-center rounded-xl bg-zinc-900 text-white hover:bg-zinc-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 dark:bg-white dark:text-zinc-900"
          >
            <StopIcon />
          </button>
        ) : (
          <button
            type="submit"
            disabled={!canSend}
            aria-label={t("send")}
            title={t("send")}
            className="grid size-10 place-items-center rounded-xl bg-zinc-900 text-white hover:bg-zinc-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 disabled:bg-zinc-300 disabled:text-zinc-500 dark:bg-white dark:text-zinc-900 dark:disabled:bg-zinc-700 dark:disabled:text-zinc-400"
          >
            <SendIcon />
          </button>
        )}
      </div>
      {tools && <div className="flex items-center gap-2 px-1 pt-1.5">{tools}</div>}
      <p id={hintId} className="sr-only">
        {t(touch ? "composerHintTouch" : "composerHintKeyboard")}
      </p>
    </form>
  );
}
