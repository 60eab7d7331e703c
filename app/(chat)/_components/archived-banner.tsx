"use client";

import { useTransition } from "react";
import { useI18n } from "@/lib/i18n/client";
import { setRoomArchivedAction } from "../actions";
import { ArchiveIcon } from "./icons";
import { useToast } from "./toasts";

/** Above an archived chat (docs/ui.md#archived-chats): it is not in the sidebar, and how to bring it back. */
export function ArchivedBanner({ roomId }: { roomId: number }) {
  const { t } = useI18n();
  const notify = useToast();
  const [pending, startTransition] = useTransition();
  const unarchive = () =>
    startTransition(async () => {
      const result = await setRoomArchivedAction(roomId, false).catch(() => ({ ok: false as const, error: "network" }));
      if (!result.ok) notify(t("errorGeneric", { detail: result.error }));
    });
  return (
    <div role="status" className="flex items-center gap-3 border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-950 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-100">
      <ArchiveIcon />
      <p className="min-w-0 flex-1">{t("archivedBanner")}</p>
      <button
        type="button"
        onClick={unarchive}
        disabled={pending}
        className="shrink-0 rounded-md border border-amber-300 px-2.5 py-1 font-medium hover:bg-amber-100 focus-visible:outline-2 focus-visible:outline-blue-600 disabled:opacity-50 dark:border-amber-800 dark:hover:bg-amber-900"
      >
        {t("unarchive")}
      </button>
    </div>
  );
}
