"use client";

import { useId } from "react";
import { useI18n } from "@/lib/i18n/client";
import { modelToStore, shownModel, type ModelChoice } from "../_hooks/use-room-settings";

/**
 * The chat's model, by the composer (docs/ui.md#chat-settings): a native select, so it works
 * with a keyboard, a screen reader and a phone's own picker. Shown only when there is a choice.
 */
export function ModelPicker({
  models,
  value,
  onChange,
  disabled,
  className = "",
}: {
  models: ModelChoice[];
  value: string | null;
  onChange: (model: string | null) => void;
  disabled?: boolean;
  className?: string;
}) {
  const { t } = useI18n();
  const id = useId();
  if (models.length < 2) return null;
  return (
    <div className={`flex min-w-0 items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-300 ${className}`}>
      <label htmlFor={id}>{t("model")}</label>
      <select
        id={id}
        value={shownModel(models, value)}
        disabled={disabled}
        onChange={(event) => onChange(modelToStore(models, event.target.value))}
        className="min-w-0 max-w-56 truncate rounded-md border border-zinc-300 bg-white px-1.5 py-1 text-xs text-zinc-800 focus-visible:outline-2 focus-visible:outline-blue-600 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        {models.map((model) => (
          <option key={model.id} value={model.id}>
            {model.default ? t("modelDefault", { model: model.id }) : model.id}
          </option>
        ))}
      </select>
    </div>
  );
}
