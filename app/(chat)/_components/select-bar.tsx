"use client";

import { useRef } from "react";
import { useI18n } from "@/lib/i18n/client";
import { ConfirmDialog } from "./confirm-dialog";

/** The sidebar's select mode (docs/ui.md#sidebar): how many are selected, Delete N (confirmed) and Cancel. */
export function SelectBar({ count, onDelete, onCancel }: { count: number; onDelete: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  return (
    <div role="group" aria-label={t("selectChats")} className="flex items-center gap-2 border-t border-zinc-200 p-2 dark:border-zinc-800">
      <p aria-live="polite" className="min-w-0 flex-1 truncate px-2 text-sm text-zinc-600 dark:text-zinc-300">
        {t("selectedCount", { n: count })}
      </p>
      <button
        type="button"
        onClick={onCancel}
        className="rounded-lg border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-zinc-600 dark:hover:bg-zinc-800"
      >
        {t("cancel")}
      </button>
      <button
        ref={deleteButton}
        type="button"
        disabled={count === 0}
        onClick={() => dialog.current?.showModal()}
        className="rounded-lg bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600 disabled:cursor-not-allowed disabled:bg-red-600/40 dark:disabled:bg-red-900/60"
      >
        {t("deleteCount", { n: count })}
      </button>
      <ConfirmDialog
        dialogRef={dialog}
        title={t("deleteManyTitle", { n: count })}
        body={t("deleteManyBody")}
        confirmLabel={t("delete")}
        onConfirm={onDelete}
        onClose={() => deleteButton.current?.focus()}
      />
    </div>
  );
}
