"use client";

import { useId, useRef, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { SYSTEM_PROMPT_MAX } from "@/lib/limits";
import { SlidersIcon } from "./icons";
import { ModelPicker } from "./model-picker";
import type { ModelChoice, RoomSettings } from "../_hooks/use-room-settings";

const count = (text: string) => Array.from(text).length; // characters as Postgres counts them
/** "4,000" in both languages, the same on the server and in any browser (no ICU involved). */
const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/**
 * "Chat settings": a button in the chat's header and its dialog (docs/ui.md#chat-settings) —
 * the chat's system prompt (replaces the server's for this chat; empty = the default) and its
 * model. Save applies both; Reset to default empties the prompt; Cancel or Escape keeps all.
 */
export function RoomSettingsButton({
  models,
  settings,
  onSave,
}: {
  models: ModelChoice[];
  settings: RoomSettings;
  onSave: (settings: RoomSettings) => Promise<{ ok: true } | { ok: false; error: string }>;
}) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const [model, setModel] = useState(settings.model);
  const [prompt, setPrompt] = useState(settings.systemPrompt ?? "");
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const ids = { title: useId(), prompt: useId(), help: useId(), counter: useId(), error: useId() };
  const length = count(prompt);
  const tooLong = length > SYSTEM_PROMPT_MAX;
  const max = grouped(SYSTEM_PROMPT_MAX);

  function open() {
    setModel(settings.model);
    setPrompt(settings.systemPrompt ?? "");
    setError(undefined);
    dialog.current?.showModal();
  }

  async function save(event: React.FormEvent) {
    event.preventDefault();
    if (tooLong || saving) return;
    setSaving(true);
    const result = await onSave({ model, systemPrompt: prompt.trim() ? prompt : null });
    setSaving(false);
    if (result.ok) dialog.current?.close();
    else setError(t("errorGeneric", { detail: result.error }));
  }

  const secondary =
    "rounded-lg border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-zinc-600 dark:hover:bg-zinc-800";
  return (
    <>
      <button
        ref={button}
        type="button"
        onClick={open}
        aria-label={t("chatSettings")}
        title={t("chatSettings")}
        aria-haspopup="dialog"
        className="rounded-md p-2 text-zinc-600 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-blue-600 dark:text-zinc-300 dark:hover:bg-zinc-800"
      >
        <SlidersIcon />
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={ids.title}
        onClose={() => button.current?.focus()}
        className="m-auto w-[min(36rem,calc(100vw-2rem))] rounded-xl border border-zinc-200 bg-white p-5 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <form onSubmit={save} className="space-y-4">
          <h2 id={ids.title} className="text-lg font-semibold">
            {t("chatSettings")}
          </h2>
          <ModelPicker models={models} value={model} onChange={setModel} className="text-sm" />
          <div className="space-y-1.5">
            <label htmlFor={ids.prompt} className="block text-sm font-medium">
              {t("systemPrompt")}
            </label>
            <p id={ids.help} className="text-sm text-zinc-600 dark:text-zinc-300">
              {t("systemPromptHelp")}
            </p>
            <textarea
              id={ids.prompt}
              value={prompt}
              onChange={(event) => {
                setPrompt(event.target.value);
                setError(undefined);
              }}
              rows={8}
              aria-describedby={`${ids.help} ${ids.counter}${tooLong || error ? ` ${ids.error}` : ""}`}
              aria-invalid={tooLong || undefined}
              className="block max-h-[50vh] w-full resize-y rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-blue-600 aria-invalid:border-red-600 dark:border-zinc-700 dark:bg-zinc-950"
            />
            <p id={ids.counter} className={`text-right text-xs ${tooLong ? "text-red-600 dark:text-red-400" : "text-zinc-600 dark:text-zinc-400"}`}>
              {t("systemPromptCount", { n: grouped(length), max })}
            </p>
            {(tooLong || error) && (
              <p id={ids.error} role="alert" className="text-sm text-red-600 dark:text-red-400">
                {tooLong ? t("systemPromptTooLong", { max }) : error}
              </p>
            )}
          </div>
          <div className="flex flex-wrap items-center justify-end gap-2">
            <button type="button" onClick={() => setPrompt("")} disabled={!prompt} className={`${secondary} mr-auto disabled:opacity-50`}>
              {t("resetToDefault")}
            </button>
            <button type="button" onClick={() => dialog.current?.close()} className={secondary}>
              {t("cancel")}
            </button>
            <button
              type="submit"
              disabled={tooLong || saving}
              className="rounded-lg bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 disabled:opacity-50 dark:bg-white dark:text-zinc-900 dark:hover:bg-zinc-200"
            >
              {saving ? t("saving") : t("save")}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
