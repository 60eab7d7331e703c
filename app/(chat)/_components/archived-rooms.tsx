"use client";

import Link from "next/link";
import { startTransition, useOptimistic, useRef, useState, useTransition } from "react";
import { useI18n } from "@/lib/i18n/client";
import { displayRoomTitle } from "@/lib/i18n/messages";
import { deleteRoomAction, listRoomsAction, setRoomArchivedAction, type ActionResult } from "../actions";
import type { SidebarRoom } from "../sidebar-data";
import { ConfirmDialog } from "./confirm-dialog";
import { TrashIcon, UnarchiveIcon } from "./icons";
import { useToast } from "./toasts";

/**
 * The archived rooms with Unarchive and Delete (docs/ui.md#archived-chats). Either takes the
 * room off this list at once (`useOptimistic`); a failure puts it back with a toast.
 */
export function ArchivedRooms({ rooms, nextCursor }: { rooms: SidebarRoom[]; nextCursor?: string }) {
  const { t } = useI18n();
  const notify = useToast();
  const [more, setMore] = useState<{ rooms: SidebarRoom[]; next?: string }>({ rooms: [], next: nextCursor });
  const [seen, setSeen] = useState(rooms);
  if (seen !== rooms) {
    setSeen(rooms);
    setMore({ rooms: [], next: nextCursor });
  }
  const [removed, addRemoved] = useOptimistic<number[], number>([], (ids, id) => [...ids, id]);
  const [loading, startLoading] = useTransition();
  const visible = [...rooms, ...more.rooms].filter((room) => !removed.includes(room.id));

  function takeOff(roomId: number, save: () => Promise<ActionResult>) {
    startTransition(async () => {
      addRemoved(roomId);
      const result = await save().catch(() => ({ ok: false as const, error: "network" }));
      if (!result.ok) return notify(t("errorGeneric", { detail: result.error }));
      setMore((current) => ({ ...current, rooms: current.rooms.filter((room) => room.id !== roomId) }));
    });
  }

  function loadMore() {
    startLoading(async () => {
      const page = await listRoomsAction({ archived: true, cursor: more.next });
      setMore((current) => ({ rooms: [...current.rooms, ...page.rooms], next: page.next }));
    });
  }

  if (visible.length === 0) return <p className="mt-8 text-center text-sm text-zinc-500 dark:text-zinc-400">{t("noArchived")}</p>;
  return (
    <>
      <ul aria-label={t("archivedTitle")} className="mt-4 divide-y divide-zinc-200 rounded-xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
        {visible.map((room) => (
          <ArchivedRoom
            key={room.id}
            room={room}
            onUnarchive={() => takeOff(room.id, () => setRoomArchivedAction(room.id, false))}
            onDelete={() => takeOff(room.id, () => deleteRoomAction(room.id))}
          />
        ))}
      </ul>
      {more.next && (
        <button
          type="button"
          onClick={loadMore}
          disabled={loading}
          className="mt-3 w-full rounded-lg px-3 py-2 text-sm text-zinc-600 hover:bg-zinc-200 disabled:opacity-50 dark:text-zinc-300 dark:hover:bg-zinc-800"
        >
          {t("loadMore")}
        </button>
      )}
    </>
  );
}

const rowButton =
  "flex shrink-0 items-center gap-1.5 rounded-md px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-blue-600";

function ArchivedRoom({ room, onUnarchive, onDelete }: { room: SidebarRoom; onUnarchive: () => void; onDelete: () => void }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const title = displayRoomTitle(room.title, t);
  return (
    <li className="flex items-center gap-1 px-2 py-1.5">
      <Link
        href={`/chat/${room.id}`}
        className="min-w-0 flex-1 truncate rounded-md px-2 py-1.5 text-sm hover:underline focus-visible:outline-2 focus-visible:outline-blue-600"
      >
        {title}
      </Link>
      <button type="button" onClick={onUnarchive} className={`${rowButton} text-zinc-700 hover:bg-zinc-100 dark:text-zinc-200 dark:hover:bg-zinc-800`}>
        <UnarchiveIcon />
        <span className="max-sm:sr-only">{t("unarchive")}</span>
      </button>
      <button
        ref={deleteButton}
        type="button"
        onClick={() => dialog.current?.showModal()}
        className={`${rowButton} text-red-600 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950`}
      >
        <TrashIcon />
        <span className="max-sm:sr-only">{t("delete")}</span>
      </button>
      <ConfirmDialog
        dialogRef={dialog}
        title={t("deleteTitle")}
        body={t("deleteBody", { title })}
        confirmLabel={t("delete")}
        onConfirm={onDelete}
        onClose={() => deleteButton.current?.focus()}
      />
    </li>
  );
}
