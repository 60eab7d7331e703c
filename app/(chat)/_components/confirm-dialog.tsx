"use client";

import { useId } from "react";
import { useI18n } from "@/lib/i18n/client";

/**
 * A modal confirmation (a native `<dialog>`: focus is trapped, Escape cancels). The parent opens
 * it with `dialogRef.current.showModal()`; Cancel has the focus first, so Enter never destroys.
 */
export function ConfirmDialog({
  dialogRef,
  title,
  body,
  confirmLabel,
  onConfirm,
  onClose,
}: {
  dialogRef: React.RefObject<HTMLDialogElement | null>;
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm: () => void;
  onClose?: () => void;
}) {
  const { t } = useI18n();
  const titleId = useId();
  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto w-[min(26rem,calc(100vw-2rem))] rounded-xl border border-zinc-200 bg-white p-5 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <h2 id={titleId} className="text-lg font-semibold">
        {title}
      </h2>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-300">{body}</p>
      <form method="dialog" className="mt-5 flex justify-end gap-2">
        <button
          value="cancel"
          autoFocus
          className="rounded-lg border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-zinc-600 dark:hover:bg-zinc-800"
        >
          {t("cancel")}
        </button>
        <button
          value="confirm"
          onClick={() => onConfirm()}
          className="rounded-lg bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600"
        >
          {confirmLabel}
        </button>
      </form>
    </dialog>
  );
}
