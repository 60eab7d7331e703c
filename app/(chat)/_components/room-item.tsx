"use client";

import Link from "next/link";
import { useRef, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { displayRoomTitle } from "@/lib/i18n/messages";
import type { SidebarRoom } from "../sidebar-data";
import { ConfirmDialog } from "./confirm-dialog";
import { ArchiveIcon, DotsIcon, PencilIcon, PinIcon, PinOffIcon, ShareIcon, TrashIcon } from "./icons";
import { exportMenuItems } from "./export-menu-items";
import { MenuButton } from "./menu-button";
import { ShareDialog } from "./share-dialog";
import { TITLE_MAX } from "@/lib/limits";

/**
 * One room in the sidebar: a link, and a menu with inline rename, share, pin, archive and
 * delete. In select mode (docs/ui.md#sidebar) it is a checkbox instead.
 */
export function RoomItem({
  room,
  active,
  onRename,
  onPin,
  onArchive,
  onDelete,
  selection,
}: {
  room: SidebarRoom;
  active: boolean;
  onRename: (title: string) => void;
  onPin: (pinned: boolean) => void;
  onArchive: () => void;
  onDelete: () => void;
  selection?: { checked: boolean; onToggle: () => void };
}) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(room.title);
  const [error, setError] = useState<string>();
  const [sharing, setSharing] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const menuButton = useRef<HTMLButtonElement>(null);

  const title = displayRoomTitle(room.title, t);

  function startEditing() {
    setDraft(title);
    setError(undefined);
    setEditing(true);
  }

  function save() {
    const next = draft.trim();
    if (!next) return setError(t("titleBlank"));
    if (Array.from(next).length > TITLE_MAX) return setError(t("titleTooLong"));
    setEditing(false);
    if (next !== room.title && next !== title) onRename(next);
  }

  if (selection) {
    return (
      <li>
        <label className="flex cursor-pointer items-center gap-2.5 rounded-md px-3 py-2 text-sm hover:bg-zinc-200/70 dark:hover:bg-zinc-800/70">
          <input
            type="checkbox"
            checked={selection.checked}
            onChange={selection.onToggle}
            className="size-4 shrink-0 accent-blue-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600"
          />
          <span className="min-w-0 truncate">{title}</span>
        </label>
      </li>
    );
  }

  if (editing) {
    return (
      <li className="px-1 py-0.5">
        <input
          autoFocus
          value={draft}
          onChange={(event) => {
            setDraft(event.target.value);
            setError(undefined);
          }}
          onKeyDown={(event) => {
            if (event.nativeEvent.isComposing) return; // Korean IME: Enter commits the syllable
            if (event.key === "Enter") {
              event.preventDefault();
              save();
            } else if (event.key === "Escape") {
              event.preventDefault();
              setEditing(false);
              menuButton.current?.focus();
            }
          }}
          onBlur={() => !error && setEditing(false)}
          aria-label={t("renameLabel")}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `rename-error-${room.id}` : undefined}
          className="w-full rounded-md border border-blue-500 bg-white px-2 py-1.5 text-sm outline-none dark:bg-zinc-950"
        />
        {error && (
          <p id={`rename-error-${room.id}`} role="alert" className="px-1 pt-1 text-xs text-red-600 dark:text-red-400">
            {error}
          </p>
        )}
      </li>
    );
  }

  return (
    <li className="group relative">
      <Link
        href={`/chat/${room.id}`}
        aria-current={active ? "page" : undefined}
        className={`block truncate rounded-md py-2 pl-3 pr-9 text-sm focus-visible:outline-2 focus-visible:outline-blue-600 ${
          active ? "bg-zinc-200 font-medium dark:bg-zinc-800" : "hover:bg-zinc-200/70 dark:hover:bg-zinc-800/70"
        }`}
      >
        {title}
      </Link>
      <div className="absolute right-1 top-1/2 -translate-y-1/2">
        <MenuButton
          label={t("roomMenu", { title })}
          buttonRef={menuButton}
          items={[
            { label: t("rename"), icon: <PencilIcon />, onSelect: startEditing },
            { label: t("share"), icon: <ShareIcon />, onSelect: () => setSharing(true) },
            { label: t(room.pinned ? "unpin" : "pin"), icon: room.pinned ? <PinOffIcon /> : <PinIcon />, onSelect: () => onPin(!room.pinned) },
            { label: t("archive"), icon: <ArchiveIcon />, onSelect: onArchive },
            ...exportMenuItems(room.id, t),
            { label: t("delete"), icon: <TrashIcon />, onSelect: () => dialog.current?.showModal(), danger: true },
          ]}
          className={`rounded p-1 text-zinc-600 hover:bg-zinc-300 focus-visible:opacity-100 focus-visible:outline-2 focus-visible:outline-blue-600 aria-expanded:opacity-100 dark:text-zinc-300 dark:hover:bg-zinc-700 ${
            active ? "opacity-100" : "opacity-100 md:opacity-0 md:group-hover:opacity-100"
          }`}
        >
          <DotsIcon />
        </MenuButton>
      </div>
      {sharing && (
        <ShareDialog
          roomId={room.id}
          title={title}
          onClose={() => {
            setSharing(false);
            menuButton.current?.focus();
          }}
        />
      )}
      <ConfirmDialog
        dialogRef={dialog}
        title={t("deleteTitle")}
        body={t("deleteBody", { title })}
        confirmLabel={t("delete")}
        onConfirm={onDelete}
        onClose={() => menuButton.current?.focus()}
      />
    </li>
  );
}
