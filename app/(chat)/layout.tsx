import { requireSessionUser } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/i18n/server";
import { encodeRoomCursor, listRoomsForUser } from "@/lib/rooms";
import { AppShell } from "./_components/app-shell";
import { Sidebar } from "./_components/sidebar";
import { toSidebarRoom } from "./sidebar-data";

export const dynamic = "force-dynamic";

/**
 * The signed-in app: the sidebar is rendered here on the server, from the database, so the
 * first paint already lists the rooms (docs/ui.md). Past the first 100, "Show more" pages on.
 */
export default async function ChatLayout({ children }: { children: React.ReactNode }) {
  const user = await requireSessionUser("/chat");
  const page = await listRoomsForUser({ userId: user.id, limit: 100 });
  const timeZone = await getTimeZone();
  return (
    <AppShell
      sidebar={
        <Sidebar
          rooms={page.rooms.map(toSidebarRoom)}
          nextCursor={page.next && encodeRoomCursor(page.next)}
          now={new Date().toISOString()}
          timeZone={timeZone}
          user={{ name: user.name, email: user.email }}
        />
      }
    >
      {children}
    </AppShell>
  );
}
