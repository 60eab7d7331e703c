import type { Metadata } from "next";
import Link from "next/link";
import { getTranslator } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "404" };

/** Any unknown URL: the app's own look and language, and a way back (not Next.js's bare page). */
export default async function NotFound() {
  const { t } = await getTranslator();
  return (
    <main className="flex min-h-dvh items-center justify-center bg-zinc-50 px-4 py-10 dark:bg-zinc-950">
      <div className="w-full max-w-sm space-y-6 rounded-2xl border border-zinc-200 bg-white p-6 text-center shadow-sm sm:p-8 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="space-y-2">
          <p className="text-sm font-semibold tracking-wide text-blue-600 dark:text-blue-400">{t("appName")}</p>
          <p className="text-5xl font-semibold tabular-nums text-zinc-500 dark:text-zinc-400" aria-hidden="true">
            404
          </p>
          <h1 className="text-2xl font-semibold">{t("notFoundPage")}</h1>
          <p className="break-keep text-sm text-zinc-600 dark:text-zinc-400">{t("notFoundPageBody")}</p>
        </div>
        <Link
          href="/chat"
          className="inline-block rounded-lg bg-zinc-900 px-4 py-2 text-sm font-medium text-white hover:bg-zinc-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 dark:bg-white dark:text-zinc-900 dark:hover:bg-zinc-200"
        >
          {t("backToChat")}
        </Link>
      </div>
    </main>
  );
}
