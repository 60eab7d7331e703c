import type { ChatRoom } from "@/db/schema";
import { isoTimestamp } from "@/lib/serializers";

/** What the sidebar needs of a room: small, serialisable. A room just created is not pinned. */
export type SidebarRoom = { id: number; title: string; updatedAt: string; pinned?: boolean };

export const toSidebarRoom = (room: ChatRoom): SidebarRoom => ({
  id: room.id,
  title: room.title,
  updatedAt: isoTimestamp(room.updatedAt),
  pinned: room.pinned,
});

export type RoomGroup = "pinned" | "today" | "yesterday" | "previous7Days" | "older";

/** The calendar day of an instant in a time zone, as a sortable number (yyyymmdd → days). */
function dayNumber(instant: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
  return Math.floor(Date.parse(`${parts}T00:00:00Z`) / 86_400_000);
}

/**
 * The server's list order (docs/api.md#paging): most recently active first, ties by id. The
 * server already sends rooms in it; rooms moved by a change not yet saved (pinned, unpinned)
 * are put back in their place by it.
 */
const byActivity = (a: SidebarRoom, b: SidebarRoom) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || b.id - a.id;

/** Pinned, then Today / Yesterday / Previous 7 days / Older in the user's time zone (docs/ui.md#sidebar). */
export function groupRooms(rooms: SidebarRoom[], now: Date, timeZone: string) {
  const today = dayNumber(now, timeZone);
  const groups = new Map<RoomGroup, SidebarRoom[]>();
  for (const room of rooms) {
    const age = today - dayNumber(new Date(room.updatedAt), timeZone);
    const group: RoomGroup = room.pinned
      ? "pinned"
      : age <= 0
        ? "today"
        : age === 1
          ? "yesterday"
          : age <= 7
            ? "previous7Days"
            : "older";
    groups.set(group, [...(groups.get(group) ?? []), room]);
  }
  return (["pinned", "today", "yesterday", "previous7Days", "older"] as const)
    .filter((g) => groups.has(g))
    .map((g) => ({ group: g, rooms: groups.get(g)!.sort(byActivity) }));
}

/**
 * A change to the list made in this tab: shown at once (optimistically) while its server
 * action runs, and applied to the pages and search results held in the browser once saved.
 * Archiving and deleting both take rooms out of the list.
 */
export type RoomChange =
  | { kind: "rename"; id: number; title: string }
  | { kind: "pin"; id: number; pinned: boolean }
  | { kind: "remove"; ids: number[] };

export function applyRoomChange(rooms: SidebarRoom[], change: RoomChange): SidebarRoom[] {
  switch (change.kind) {
    case "rename":
      return rooms.map((room) => (room.id === change.id ? { ...room, title: change.title } : room));
    case "pin":
      return rooms.map((room) => (room.id === change.id ? { ...room, pinned: change.pinned } : room));
    case "remove":
      return rooms.filter((room) => !change.ids.includes(room.id));
  }
}
