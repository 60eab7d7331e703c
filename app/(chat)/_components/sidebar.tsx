"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useMemo, useState, useTransition } from "react";
import { useI18n } from "@/lib/i18n/client";
import { deleteRoomAction, listRoomsAction, renameRoomAction } from "../actions";
import { groupRooms, type SidebarRoom } from "../sidebar-data";
import { CloseIcon, GearIcon, PlusIcon, SearchIcon } from "./icons";
import { useNewRooms } from "./new-rooms";
import { RoomItem } from "./room-item";
import { useToast } from "./toasts";

type Props = {
  rooms: SidebarRoom[];
  nextCursor?: string;
  now: string;
  timeZone: string;
  user: { name: string | null; email: string };
};

/**
 * The room list. Rendered on the server with the first page of rooms; rename and delete
 * apply at once here (optimistically) while the server action runs, then the server's
 * fresh list replaces ours.
 */
export function Sidebar({ rooms, nextCursor, now, timeZone, user }: Props) {
  const { t } = useI18n();
  const notify = useToast();
  const router = useRouter();
  const pathname = usePathname();
  const activeId = Number(/^\/chat\/(\d+)/.exec(pathname)?.[1] ?? 0);

  const [more, setMore] = useState<{ rooms: SidebarRoom[]; next?: string }>({ rooms: [], next: nextCursor });
  const [renamed, setRenamed] = useState<Map<number, string>>(new Map());
  const [deleted, setDeleted] = useState<Set<number>>(new Set());
  const [query, setQuery] = useState("");
  const [found, setResults] = useState<SidebarRoom[] | undefined>();
  // Results belong to a search: an empty box shows the rooms, whatever was found before.
  const results = query.trim() ? found : undefined;
  const [loading, startLoading] = useTransition();
  const newRooms = useNewRooms();
  const forgetNewRooms = newRooms.forget;

  // A fresh server render (after a mutation or a new message) supersedes local changes once
  // it shows them. An older render can still arrive after our change (a refresh that was
  // already on its way), so an override is dropped only when the server agrees with it.
  // (State adjusted while rendering, as React recommends for state derived from a new prop.)
  const [seen, setSeen] = useState({ rooms, nextCursor });
  if (seen.rooms !== rooms || seen.nextCursor !== nextCursor) {
    setSeen({ rooms, nextCursor });
    setMore({ rooms: [], next: nextCursor });
    setRenamed((map) => {
      const pending = new Map([...map].filter(([id, title]) => rooms.find((room) => room.id === id)?.title !== title));
      return pending.size === map.size ? map : pending;
    });
    setDeleted((set) => {
      const pending = new Set([...set].filter((id) => rooms.some((room) => room.id === id)));
      return pending.size === set.size ? set : pending;
    });
  }
  // New chats announced by the chat view are listed until the server's list has them.
  useEffect(() => forgetNewRooms(rooms.map((room) => room.id)), [rooms, forgetNewRooms]);

  // Server-side search (docs/api.md `?q=`): titles and message text, Korean substrings too.
  useEffect(() => {
    const q = query.trim();
    if (!q) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      listRoomsAction({ q })
        .then((page) => !cancelled && setResults(page.rooms))
        .catch(() => !cancelled && notify(t("errorGeneric", { detail: "search" })));
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [query, notify, t]);

  const visible = useMemo(() => {
    const listed = [...rooms, ...more.rooms];
    const source = results ?? [...newRooms.rooms.filter((room) => !listed.some((r) => r.id === room.id)), ...listed];
    return source
      .filter((room) => !deleted.has(room.id))
      .map((room) => (renamed.has(room.id) ? { ...room, title: renamed.get(room.id)! } : room));
  }, [results, rooms, more.rooms, newRooms.rooms, deleted, renamed]);
  const groups = useMemo(() => groupRooms(visible, new Date(now), timeZone), [visible, now, timeZone]);

  async function rename(room: SidebarRoom, title: string) {
    setRenamed((map) => new Map(map).set(room.id, title));
    const result = await renameRoomAction(room.id, title).catch(() => ({ ok: false as const, error: "network" }));
    if (!result.ok) {
      setRenamed((map) => {
        const copy = new Map(map);
        copy.delete(room.id);
        return copy;
      });
      notify(t("errorGeneric", { detail: result.error }));
    }
  }

  async function remove(room: SidebarRoom) {
    setDeleted((set) => new Set(set).add(room.id));
    forgetNewRooms([room.id]);
    if (room.id === activeId) router.push("/chat");
    const result = await deleteRoomAction(room.id).catch(() => ({ ok: false as const, error: "network" }));
    if (!result.ok) {
      setDeleted((set) => {
        const copy = new Set(set);
        copy.delete(room.id);
        return copy;
      });
      notify(t("errorGeneric", { detail: result.error }));
    }
  }

  function loadMore() {
    startLoading(async () => {
      const page = await listRoomsAction({ cursor: more.next });
      setMore((current) => ({ rooms: [...current.rooms, ...page.rooms], next: page.next }));
    });
  }

  return (
    <div className="flex h-full flex-col">
      <div className="flex items-center gap-2 px-3 pb-2 pt-3 pr-12 md:pr-3">
        <Link href="/chat" className="rounded px-1 text-base font-semibold focus-visible:outline-2 focus-visible:outline-blue-600">
          {t("appName")}
        </Link>
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
            {results ? t("noResults") : t("noRooms")}
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
                  onRename={(title) => rename(room, title)}
                  onDelete={() => remove(room)}
                />
              ))}
            </ul>
          </section>
        ))}
        {!results && more.next && (
          <button
            type="button"
            onClick={loadMore}
            disabled={loading}
            className="mt-3 w-full rounded-lg px-3 py-2 text-sm text-zinc-600 hover:bg-zinc-200 disabled:opacity-50 dark:text-zinc-300 dark:hover:bg-zinc-800"
          >
            {t("loadMore")}
          </button>
        )}
      </nav>

      <div className="border-t border-zinc-200 p-2 dark:border-zinc-800">
        <Link
          href="/settings"
          className="flex items-center gap-2 rounded-lg px-3 py-2 text-sm hover:bg-zinc-200 focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-zinc-800"
        >
          <GearIcon />
          <span className="min-w-0 flex-1 truncate">{user.name || user.email}</span>
          <span className="text-xs text-zinc-500 dark:text-zinc-400">{t("settings")}</span>
        </Link>
      </div>
    </div>
  );
}
