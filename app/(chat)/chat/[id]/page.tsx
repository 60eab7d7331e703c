import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { logJson } from "@/lib/serializers";
import { requireSessionUser } from "@/lib/auth/session";
import { displayRoomTitle } from "@/lib/i18n/messages";
import { getTranslator } from "@/lib/i18n/server";
import { allowedModels } from "@/lib/llm/models";
import { getRoomForUser, listLogsForRoom } from "@/lib/rooms";
import { ArchivedBanner } from "../../_components/archived-banner";
import { Chat } from "../../_components/chat";

type Props = { params: Promise<{ id: string }> };

const parseRoomId = (raw: string) => (/^[1-9]\d{0,15}$/.test(raw) && Number.isSafeInteger(Number(raw)) ? Number(raw) : undefined);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const user = await requireSessionUser(`/chat/${id}`);
  const roomId = parseRoomId(id);
  const room = roomId ? await getRoomForUser({ roomId, userId: user.id }) : undefined;
  const { t } = await getTranslator();
  return { title: room ? displayRoomTitle(room.title, t) : t("appName") };
}

/** One room: its settings and newest 50 logs, rendered on the server; older ones load on scroll up. */
export default async function ChatRoomPage({ params }: Props) {
  const { id } = await params;
  const user = await requireSessionUser(`/chat/${id}`);
  const roomId = parseRoomId(id);
  if (!roomId) notFound();
  const [room, page] = await Promise.all([
    getRoomForUser({ roomId, userId: user.id }),
    listLogsForRoom({ roomId, userId: user.id, limit: 50 }),
  ]);
  if (!room || page === undefined || page === "unknown_anchor") notFound();
  return (
    <>
      {room.archived && <ArchivedBanner roomId={roomId} />}
      <Chat
        key={roomId}
        roomId={roomId}
        room={{ title: room.title, model: room.model, systemPrompt: room.systemPrompt }}
        models={allowedModels()}
        initialLogs={page.logs.map(logJson)}
        hasOlder={page.hasOlder}
      />
    </>
  );
}
