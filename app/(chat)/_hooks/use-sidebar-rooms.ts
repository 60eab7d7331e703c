"use client";

import { startTransition, useEffect, useMemo, useOptimistic, useState, useTransition } from "react";
import { useI18n } from "@/lib/i18n/client";
import type { ActionResult } from "../actions";
import { listRoomsAction } from "../actions";
import { applyRoomChange, type RoomChange, type SidebarRoom } from "../sidebar-data";
import { useNewRooms } from "../_components/new-rooms";
import { useToast } from "../_components/toasts";

/**
 * The rooms the sidebar shows: the server's first page, the pages loaded with "Show more",
 * the rooms created in this tab, or the results of a search, with the changes in flight laid
 * over them (docs/ui.md#sidebar).
 *
 * A change is shown at once with React's `useOptimistic` while its server action runs. The
 * action revalidates the layout, so when it ends the server's list (the `rooms` prop) already
 * has the change and the optimistic layer is dropped; when it fails, dropping the layer is
 * the rollback, and a toast says why.
 */
export function useSidebarRooms({ rooms, nextCursor, query }: { rooms: SidebarRoom[]; nextCursor?: string; query: string }) {
  const { t } = useI18n();
  const notify = useToast();
  const newRooms = useNewRooms();
  const forgetNewRooms = newRooms.forget;
  const [more, setMore] = useState<{ rooms: SidebarRoom[]; next?: string }>({ rooms: [], next: nextCursor });
  const [found, setFound] = useState<SidebarRoom[] | undefined>();
  const [loading, startLoading] = useTransition();
  const [changes, addChange] = useOptimistic<RoomChange[], RoomChange>([], (pending, change) => [...pending, change]);

  // A fresh server render starts the list over from its first page. (State adjusted while
  // rendering, as React recommends for state derived from a new prop.)
  const [seen, setSeen] = useState({ rooms, nextCursor });
  if (seen.rooms !== rooms || seen.nextCursor !== nextCursor) {
    setSeen({ rooms, nextCursor });
    setMore({ rooms: [], next: nextCursor });
  }
  // New chats announced by the chat view are listed until the server's list has them.
  useEffect(() => forgetNewRooms(rooms.map((room) => room.id)), [rooms, forgetNewRooms]);

  // Server-side search (docs/api.md#search): titles and message text, Korean substrings too.
  // Results belong to a search: an empty box shows the rooms, whatever was found before.
  const results = query.trim() ? found : undefined;
  useEffect(() => {
    const q = query.trim();
    if (!q) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      listRoomsAction({ q })
        .then((page) => !cancelled && setFound(page.rooms))
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
    return changes.reduce(applyRoomChange, source);
  }, [results, rooms, more.rooms, newRooms.rooms, changes]);

  /** Shows `change` at once, saves it with `save`, and keeps it, or rolls it back with a toast. */
  function apply(change: RoomChange, save: () => Promise<ActionResult>) {
    if (change.kind === "remove") forgetNewRooms(change.ids);
    startTransition(async () => {
      addChange(change);
      const result = await save().catch(() => ({ ok: false as const, error: "network" }));
      if (!result.ok) {
        notify(t("errorGeneric", { detail: result.error }));
        return;
      }
      // The server's next render has it; what only this tab holds must keep it too.
      setMore((current) => ({ ...current, rooms: applyRoomChange(current.rooms, change) }));
      setFound((current) => current && applyRoomChange(current, change));
    });
  }

  function loadMore() {
    startLoading(async () => {
      const page = await listRoomsAction({ cursor: more.next });
      setMore((current) => ({ rooms: [...current.rooms, ...page.rooms], next: page.next }));
    });
  }

  return { visible, searching: results !== undefined, hasMore: !results && Boolean(more.next), loading, loadMore, apply };
}
