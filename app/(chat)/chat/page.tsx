import type { Metadata } from "next";
import { requireSessionUser } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import { allowedModels } from "@/lib/llm/models";
import { Chat } from "../_components/chat";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslator()).t("newChat") };
}

/** A new chat: the first message creates the room. */
export default async function NewChatPage() {
  await requireSessionUser("/chat");
  return <Chat models={allowedModels()} initialLogs={[]} hasOlder={false} />;
}
