"use client";

import { useI18n } from "@/lib/i18n/client";
import { displayRoomTitle } from "@/lib/i18n/messages";

/** The open chat's title, with its actions beside it (docs/ui.md#chat-view). */
export function RoomHeader({ title, children }: { title: string; children?: React.ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="flex items-center gap-2 border-b border-zinc-200 px-4 py-1.5 dark:border-zinc-800">
      <h1 className="min-w-0 flex-1 truncate text-sm font-medium">{displayRoomTitle(title, t)}</h1>
      {children}
    </div>
  );
}
