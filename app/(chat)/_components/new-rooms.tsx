"use client";

import { createContext, useCallback, useContext, useMemo, useState } from "react";
import type { SidebarRoom } from "../sidebar-data";

type NewRooms = { rooms: SidebarRoom[]; announce: (room: SidebarRoom) => void; forget: (ids: number[]) => void };
const NewRoomsContext = createContext<NewRooms>({ rooms: [], announce: () => {}, forget: () => {} });

/**
 * Rooms created in this tab that the server-rendered sidebar may not list yet: a new chat
 * shows up, highlighted, the moment its room exists, not when its first reply has ended.
 * The sidebar forgets an entry once a server render includes the room, or when it is deleted.
 */
export function NewRoomsProvider({ children }: { children: React.ReactNode }) {
  const [rooms, setRooms] = useState<SidebarRoom[]>([]);
  const announce = useCallback((room: SidebarRoom) => setRooms((current) => [room, ...current.filter((r) => r.id !== room.id)]), []);
  const forget = useCallback(
    (ids: number[]) => setRooms((current) => (current.some((r) => ids.includes(r.id)) ? current.filter((r) => !ids.includes(r.id)) : current)),
    [],
  );
  const value = useMemo(() => ({ rooms, announce, forget }), [rooms, announce, forget]);
  return <NewRoomsContext.Provider value={value}>{children}</NewRoomsContext.Provider>;
}

export const useNewRooms = () => useContext(NewRoomsContext);
export const useAnnounceRoom = () => useContext(NewRoomsContext).announce;
