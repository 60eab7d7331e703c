"use client";

import type { MessageKey } from "@/lib/i18n/messages";
import type { MenuItem } from "./menu-button";

/**
 * "Export Markdown" and "Export JSON" in a room's menu (docs/ui.md#sidebar): downloads of
 * `GET /api/chatbot/room/{id}/export/` with the session cookie. The file's name comes from the
 * answer's Content-Disposition (the room's title, Korean included).
 */
export function exportMenuItems(roomId: number, t: (key: MessageKey) => string): MenuItem[] {
  return [
    { label: t("exportMarkdown"), icon: <DownloadIcon />, onSelect: () => download(`/api/chatbot/room/${roomId}/export/?format=md`) },
    { label: t("exportJson"), icon: <DownloadIcon />, onSelect: () => download(`/api/chatbot/room/${roomId}/export/?format=json`) },
  ];
}

/** What a plain `<a href download>` does, from a menu item (menu items are buttons). */
function download(href: string) {
  const link = document.createElement("a");
  link.href = href;
  link.download = "";
  document.body.append(link);
  link.click();
  link.remove();
}

export const DownloadIcon = () => (
  <svg aria-hidden="true" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" className="size-4 shrink-0">
    <path d="M12 3v12M7 10l5 5 5-5M5 21h14" />
  </svg>
);
