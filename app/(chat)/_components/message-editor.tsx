"use client";

import { useEffect, useId, useRef, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { MESSAGE_MAX } from "@/lib/limits";

/**
 * The inline editor of a user's message (docs/ui.md#chat-view): Save answers it again from
 * there (Ctrl/Cmd+Enter), Cancel or Escape leaves it as it was. Enter adds a line, as in
 * any multi-line editor; an IME composition is never interrupted. It stays open, with the
 * text, until the server has taken the edit: a failed save loses nothing.
 */
export function MessageEditor({
  initial,
  saving,
  disabled,
  onSave,
  onCancel,
}: {
  initial: string;
  saving: boolean;
  disabled: boolean;
  onSave: (text: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState(initial);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const hintId = useId();
  const canSave = !saving && !disabled && text.trim().length > 0 && text.trim() !== initial.trim() && Array.from(text).length <= MESSAGE_MAX;

  useEffect(() => {
    const el = textarea.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 320)}px`;
  }, [text]);
  useEffect(() => {
    const el = textarea.current;
    el?.focus();
    el?.setSelectionRange(el.value.length, el.value.length);
  }, []);

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (canSave) onSave(text);
      }}
      className="flex w-full max-w-[85%] flex-col gap-2 rounded-2xl border border-zinc-300 bg-white p-2 focus-within:ring-2 focus-within:ring-blue-600/30 dark:border-zinc-700 dark:bg-zinc-900"
    >
      <textarea
        ref={textarea}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.nativeEvent.isComposing || event.keyCode === 229) return;
          if (event.key === "Escape" && !saving) {
            event.preventDefault();
            onCancel();
          } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            if (canSave) onSave(text);
          }
        }}
        readOnly={saving}
        aria-label={t("editMessageLabel")}
        aria-describedby={hintId}
        rows={2}
        className="max-h-80 min-h-16 resize-none bg-transparent px-2 py-1.5 text-[15px] outline-none"
      />
      <p id={hintId} className="sr-only">
        {t("editHint")}
      </p>
      <div className="flex justify-end gap-2">
        <button
          type="button"
          onClick={onCancel}
          disabled={saving}
          className="rounded-lg px-3 py-1.5 text-sm font-medium text-zinc-700 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-blue-600 disabled:opacity-50 dark:text-zinc-300 dark:hover:bg-zinc-800"
        >
          {t("cancel")}
        </button>
        <button
          type="submit"
          disabled={!canSave}
          className="rounded-lg bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 disabled:bg-zinc-300 disabled:text-zinc-600 dark:bg-white dark:text-zinc-900 dark:disabled:bg-zinc-700 dark:disabled:text-zinc-300"
        >
          {saving ? t("saving") : t("saveEdit")}
        </button>
      </div>
    </form>
  );
}
