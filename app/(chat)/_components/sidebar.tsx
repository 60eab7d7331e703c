"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { deleteRoomAction, deleteRoomsAction, type ActionResult, renameRoomAction, setRoomArchivedAction, setRoomPinnedAction } from "../actions";
import { groupRooms, type SidebarRoom } from "../sidebar-data";
import { ArchiveIcon, CloseIcon, GearIcon, PlusIcon, SearchIcon, SelectIcon } from "./icons";
import { RoomItem } from "./room-item";
import { SelectBar } from "./select-bar";
import { useSidebarRooms } from "../_hooks/use-sidebar-rooms";

type Props = {
  rooms: SidebarRoom[];
  nextCursor?: string;
  now: string;
  timeZone: string;
  user: { name: string | null; email: string };
};

const footerLink =
  "flex items-center gap-2 rounded-lg px-3 py-2 text-sm hover:bg-zinc-200 focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-zinc-800";

/**
 * The room list (docs/ui.md#sidebar). Rendered on the server with the first page of rooms;
 * rename, pin, archive and delete show at once while their server actions run
 * (`useSidebarRooms`). Select mode turns the rows into checkboxes for a bulk delete.
 */
export function Sidebar({ rooms, nextCursor, now, timeZone, user }: Props) {
  const { t } = useI18n();
  const router = useRouter();
  const pathname = usePathname();
  const activeId = Number(/^\/chat\/(\d+)/.exec(pathname)?.[1] ?? 0);
  const [query, setQuery] = useState("");
  const [selected, setSelected] = useState<Set<number> | undefined>();
  const list = useSidebarRooms({ rooms, nextCursor, query });
  const groups = useMemo(() => groupRooms(list.visible, new Date(now), timeZone), [list.visible, now, timeZone]);

  function remove(ids: number[], save: () => Promise<ActionResult>) {
    if (ids.includes(activeId)) router.push("/chat");
    list.apply({ kind: "remove", ids }, save);
  }

  function toggle(id: number) {
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }

  function deleteSelected() {
    const ids = [...(selected ?? [])].filter((id) => list.visible.some((room) => room.id === id));
    setSelected(undefined);
    if (ids.length > 0) remove(ids, () => deleteRoomsAction(ids));
  }

  return (
    <div className="flex h-full flex-col">
      <div className="flex items-center gap-2 px-3 pb-2 pt-3 pr-12 md:pr-3">
        <Link href="/chat" className="rounded px-1 text-base font-semibold focus-visible:outline-2 focus-visible:outline-blue-600">
          {t("appName")}
        </Link>
        {(groups.length > 0 || selected) && (
          <button
            type="button"
            onClick={() => setSelected(selected ? undefined : new Set())}
            aria-pressed={selected ? true : false}
            className="ml-auto flex items-center gap-1.5 rounded-md px-2 py-1 text-sm text-zinc-600 hover:bg-zinc-200 focus-visible:outline-2 focus-visible:outline-blue-600 aria-pressed:bg-zinc-200 aria-pressed:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:aria-pressed:bg-zinc-800 dark:aria-pressed:text-zinc-100"
          >
            <SelectIcon />
            {t("select")}
          </button>
        )}
      </div>
      <div className="space-y-2 px-3 pb-2">
        <Link
          href="/chat"
          className="flex items-center gap-2 rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm font-medium shadow-sm hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-zinc-700 dark:bg-zinc-950 dark:hover:bg-zinc-800"
        >
          <PlusIcon />
          {t("newChat")}
        </Link>
        <div role="search" className="relative">
          <SearchIcon className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-zinc-500" />
          <input
            type="search"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            aria-label={t("search")}
            placeholder={t("searchPlaceholder")}
            maxLength={200}
            className="w-full rounded-lg border border-zinc-300 bg-white py-1.5 pl-8 pr-8 text-sm placeholder:text-zinc-500 focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-zinc-700 dark:bg-zinc-950 [&::-webkit-search-cancel-button]:hidden"
          />
          {query && (
            <button
              type="button"
              onClick={() => setQuery("")}
              aria-label={t("clearSearch")}
              className="absolute right-1.5 top-1/2 -translate-y-1/2 rounded p-1 text-zinc-500 hover:bg-zinc-200 dark:hover:bg-zinc-800"
            >
              <CloseIcon className="size-3.5" />
            </button>
          )}
        </div>
      </div>

      <nav aria-label={t("chats")} className="min-h-0 flex-1 overflow-y-auto px-2 pb-3">
        {groups.length === 0 && (
          <p className="px-2 py-6 text-center text-sm text-zinc-500 dark:text-zinc-400">
            {list.searching ? t("noResults") : t("noRooms")}
          </p>
        )}
        {groups.map(({ group, rooms: groupRoomsList }) => (
          <section key={group} className="mt-3" aria-labelledby={`group-${group}`}>
            <h2 id={`group-${group}`} className="px-2 pb-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
              {t(group)}
            </h2>
            <ul className="space-y-0.5">
              {groupRoomsList.map((room) => (
                <RoomItem
                  key={room.id}
                  room={room}
                  active={room.id === activeId}
                  onRename={(title) => list.apply({ kind: "rename", id: room.id, title }, () => renameRoomAction(room.id, title))}
                  onPin={(pinned) => list.apply({ kind: "pin", id: room.id, pinned }, () => setRoomPinnedAction(room.id, pinned))}
                  onArchive={() => list.apply({ kind: "remove", ids: [room.id] }, () => setRoomArchivedAction(room.id, true))}
                  onDelete={() => remove([room.id], () => deleteRoomAction(room.id))}
                  selection={selected && { checked: selected.has(room.id), onToggle: () => toggle(room.id) }}
                />
              ))}
            </ul>
          </section>
        ))}
        {list.hasMore && (
          <button
            type="button"
            onClick={list.loadMore}
            disabled={list.loading}
            className="mt-3 w-full rounded-lg px-3 py-2 text-sm text-zinc-600 hover:bg-zinc-200 disabled:opacity-50 dark:text-zinc-300 dark:hover:bg-zinc-800"
          >
            {t("loadMore")}
          </button>
        )}
      </nav>

      {selected ? (
        <SelectBar count={selected.size} onDelete={deleteSelected} onCancel={() => setSelected(undefined)} />
      ) : (
        <div className="space-y-0.5 border-t border-zinc-200 p-2 dark:border-zinc-800">
          <Link href="/chat/archived" aria-current={pathname === "/chat/archived" ? "page" : undefined} className={`${footerLink} aria-[current=page]:bg-zinc-200 dark:aria-[current=page]:bg-zinc-800`}>
            <ArchiveIcon />
            {t("archived")}
          </Link>
          <Link href="/settings" className={footerLink}>
            <GearIcon />
            <span className="min-w-0 flex-1 truncate">{user.name || user.email}</span>
            <span className="text-xs text-zinc-500 dark:text-zinc-400">{t("settings")}</span>
          </Link>
        </div>
      )}
    </div>
  );
}
