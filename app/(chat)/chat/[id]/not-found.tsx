import Link from "next/link";
import { getTranslator } from "@/lib/i18n/server";

export default async function RoomNotFound() {
  const { t } = await getTranslator();
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-4 p-8 text-center">
      <h1 className="text-xl font-semibold">{t("notFoundTitle")}</h1>
      <Link href="/chat" className="rounded-lg border border-zinc-300 px-4 py-2 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
        {t("newChat")}
      </Link>
    </div>
  );
}
