import type { ChatRoom } from "@/db/schema";
import { isoTimestamp } from "@/lib/api/serializers";

/** What the sidebar needs of a room: small, serialisable. */
export type SidebarRoom = { id: number; title: string; updatedAt: string };

export const toSidebarRoom = (room: ChatRoom): SidebarRoom => ({
  id: room.id,
  title: room.title,
  updatedAt: isoTimestamp(room.updatedAt),
});

export type RoomGroup = "today" | "yesterday" | "previous7Days" | "older";

/** The calendar day of an instant in a time zone, as a sortable number (yyyymmdd → days). */
function dayNumber(instant: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
  return Math.floor(Date.parse(`${parts}T00:00:00Z`) / 86_400_000);
}

/** Today / Yesterday / Previous 7 days / Older, in the user's time zone (docs/ui.md). */
export function groupRooms(rooms: SidebarRoom[], now: Date, timeZone: string) {
  const today = dayNumber(now, timeZone);
  const groups = new Map<RoomGroup, SidebarRoom[]>();
  for (const room of rooms) {
    const age = today - dayNumber(new Date(room.updatedAt), timeZone);
    const group: RoomGroup = age <= 0 ? "today" : age === 1 ? "yesterday" : age <= 7 ? "previous7Days" : "older";
    groups.set(group, [...(groups.get(group) ?? []), room]);
  }
  return (["today", "yesterday", "previous7Days", "older"] as const)
    .filter((g) => groups.has(g))
    .map((g) => ({ group: g, rooms: groups.get(g)! }));
}
