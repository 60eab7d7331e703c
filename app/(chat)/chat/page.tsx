import type { Metadata } from "next";
import { requireSessionUser } from "@/lib/auth/session";
import { Chat } from "../_components/chat";

export const metadata: Metadata = { title: "New chat" };

/** A new chat: the first message creates the room. */
export default async function NewChatPage() {
  await requireSessionUser("/chat");
  return <Chat initialLogs={[]} hasOlder={false} />;
}
