import { describe, expect, test } from "vitest";
import { applyRoomChange, groupRooms, type RoomChange, type SidebarRoom } from "@/app/(chat)/sidebar-data";

/** docs/ui.md#sidebar: the Pinned group on top, then by day; changes laid over the list. */

const now = new Date("2026-11-25T12:00:00Z");
const room = (id: number, updatedAt: string, pinned = false): SidebarRoom => ({ id, title: `room ${id}`, updatedAt, pinned });
const shape = (groups: ReturnType<typeof groupRooms>) => groups.map((g) => [g.group, g.rooms.map((r) => r.id)]);

describe("groupRooms", () => {
  test("pinned rooms form the first group, whatever their age; the others go by day", () => {
    const rooms = [
      room(1, "2026-11-25T11:00:00Z"),
      room(2, "2026-11-24T11:00:00Z"),
      room(3, "2026-10-01T11:00:00Z", true),
      room(4, "2026-11-25T10:00:00Z", true),
      room(5, "2026-11-20T11:00:00Z"),
    ];
    expect(shape(groupRooms(rooms, now, "UTC"))).toEqual([
      ["pinned", [4, 3]],
      ["today", [1]],
      ["yesterday", [2]],
      ["previous7Days", [5]],
    ]);
  });

  test("a room pinned or unpinned here takes the place its activity gives it, ties by id", () => {
    const listed = [room(1, "2026-11-25T11:00:00Z", true), room(3, "2026-11-25T10:00:00Z"), room(2, "2026-11-25T10:00:00Z"), room(4, "2026-11-25T09:00:00Z")];
    const unpinned = applyRoomChange(listed, { kind: "pin", id: 1, pinned: false });
    expect(shape(groupRooms(unpinned, now, "UTC"))).toEqual([["today", [1, 3, 2, 4]]]);
    const pinned = applyRoomChange(applyRoomChange(listed, { kind: "pin", id: 4, pinned: true }), { kind: "pin", id: 2, pinned: true });
    expect(shape(groupRooms(pinned, now, "UTC"))).toEqual([
      ["pinned", [1, 2, 4]],
      ["today", [3]],
    ]);
  });
});

describe("applyRoomChange", () => {
  const rooms = [room(1, "2026-11-25T11:00:00Z"), room(2, "2026-11-25T10:00:00Z"), room(3, "2026-11-25T09:00:00Z")];

  test("renames and pins only the room named, removes every room listed", () => {
    expect(applyRoomChange(rooms, { kind: "rename", id: 2, title: "new" }).map((r) => r.title)).toEqual(["room 1", "new", "room 3"]);
    expect(applyRoomChange(rooms, { kind: "pin", id: 3, pinned: true }).map((r) => r.pinned)).toEqual([false, false, true]);
    expect(applyRoomChange(rooms, { kind: "remove", ids: [1, 3, 99] }).map((r) => r.id)).toEqual([2]);
  });

  test("applying a change twice is applying it once (the optimistic layer and the saved list may overlap)", () => {
    const changes: RoomChange[] = [
      { kind: "rename", id: 1, title: "x" },
      { kind: "pin", id: 1, pinned: true },
      { kind: "remove", ids: [2] },
    ];
    for (const change of changes) {
      expect(applyRoomChange(applyRoomChange(rooms, change), change)).toEqual(applyRoomChange(rooms, change));
    }
  });
});
