import type { Metadata } from "next";
import { requireSessionUser } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import { encodeRoomCursor, listRoomsForUser } from "@/lib/rooms";
import { ArchivedRooms } from "../../_components/archived-rooms";
import { toSidebarRoom } from "../../sidebar-data";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslator()).t("archivedTitle") };
}

/**
 * The Archived view (docs/ui.md#archived-chats): the rooms `GET /room/?archived=true` lists,
 * rendered on the server. A static segment, so Next routes it before `chat/[id]`.
 */
export default async function ArchivedPage() {
  const user = await requireSessionUser("/chat/archived");
  const page = await listRoomsForUser({ userId: user.id, archived: true, limit: 100 });
  const { t } = await getTranslator();
  return (
    <div className="min-h-0 flex-1 overflow-y-auto">
      <div className="mx-auto w-full max-w-3xl px-4 py-6">
        <h1 className="text-xl font-semibold">{t("archivedTitle")}</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{t("archivedHelp")}</p>
        <ArchivedRooms rooms={page.rooms.map(toSidebarRoom)} nextCursor={page.next && encodeRoomCursor(page.next)} />
      </div>
    </div>
  );
}
