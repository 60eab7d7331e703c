import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { Markdown } from "@/app/(chat)/_components/markdown";
import { isoTimestamp } from "@/lib/serializers";
import { env } from "@/lib/env";
import { formatDate } from "@/lib/i18n/format";
import { displayRoomTitle } from "@/lib/i18n/messages";
import { getTimeZone, getTranslator } from "@/lib/i18n/server";
import { getSharedSnapshot } from "@/lib/shares";

/**
 * A shared room, `/s/<token>` (docs/ui.md#shared-chats, docs/security.md#share-links):
 * read-only, readable signed out, kept out of search engines. Rendered for every request
 * (nothing caches it), so a link stops working the moment it is revoked.
 */
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ token: string }> };

/** One query per request, shared by the metadata and the page. */
const loadShare = cache((token: string) => getSharedSnapshot(token));

/** A preview's description: the first question, on one line, at most 160 characters. */
function excerpt(text: string, max = 160) {
  const line = text.replace(/\s+/g, " ").trim();
  const chars = Array.from(line);
  return chars.length > max ? `${chars.slice(0, max - 1).join("").trimEnd()}…` : line;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { token } = await params;
  const share = await loadShare(token);
  if (!share) notFound();
  const { t } = await getTranslator();
  const title = displayRoomTitle(share.snapshot.title, t);
  const firstQuestion = share.snapshot.logs.find((log) => log.role === "user")?.message;
  const description = firstQuestion ? excerpt(firstQuestion) : t("sharedReadOnly");
  const base = env().NEXTAUTH_URL;
  return {
    title,
    description,
    // The X-Robots-Tag header says the same (next.config.ts) for clients that skip the HTML.
    robots: { index: false, follow: false },
    ...(base ? { metadataBase: new URL(base) } : {}),
    openGraph: {
      type: "article",
      title,
      description,
      siteName: t("appName"),
      url: `/s/${token}`,
      publishedTime: isoTimestamp(share.createdAt),
    },
    twitter: { card: "summary", title, description },
  };
}

export default async function SharedRoomPage({ params }: Props) {
  const { token } = await params;
  const share = await loadShare(token);
  if (!share) notFound();
  const { t, locale } = await getTranslator();
  const sharedAt = isoTimestamp(share.createdAt);
  const { title, logs } = share.snapshot;
  const cta = env().ALLOW_REGISTRATION ? { href: "/sign-up", label: t("sharedCtaSignUp") } : { href: "/sign-in", label: t("sharedCtaSignIn") };

  return (
    <div className="flex min-h-dvh flex-col bg-white dark:bg-zinc-950">
      <header className="border-b border-zinc-200 dark:border-zinc-800">
        <div className="mx-auto flex w-full max-w-3xl items-center justify-between gap-3 px-4 py-3">
          <Link href="/" className="rounded px-1 text-base font-semibold focus-visible:outline-2 focus-visible:outline-blue-600">
            {t("appName")}
          </Link>
          <Link
            href={cta.href}
            className="rounded-lg border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-zinc-700 dark:hover:bg-zinc-800"
          >
            {cta.label}
          </Link>
        </div>
      </header>

      <main className="mx-auto w-full max-w-3xl flex-1 px-4 pb-12 pt-6 sm:pt-10">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {t("sharedConversation")} · <time dateTime={sharedAt}>{formatDate(sharedAt, locale, await getTimeZone())}</time>
        </p>
        <h1 className="mt-1 break-words text-2xl font-semibold sm:text-3xl">{displayRoomTitle(title, t)}</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{t("sharedReadOnly")}</p>

        <div className="mt-8 flex flex-col gap-5 border-t border-zinc-200 pt-8 dark:border-zinc-800">
          {logs.length === 0 && <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("sharedEmpty")}</p>}
          {logs.map((log, index) =>
            // The chat view's rules (docs/ui.md#chat-view): the user's words as plain text, the bot's as Markdown without raw HTML.
            log.role === "user" ? (
              <article key={index} aria-label={t("sharedUser")} data-role="user" className="flex flex-col items-end">
                <div className="max-w-[85%] whitespace-pre-wrap break-words break-keep rounded-2xl bg-zinc-100 px-4 py-2.5 dark:bg-zinc-800">
                  {log.message}
                </div>
              </article>
            ) : (
              <article key={index} aria-label={t("bot")} data-role="bot" className="px-1 py-1">
                <Markdown text={log.message} />
              </article>
            ),
          )}
        </div>
      </main>

      <footer className="border-t border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mx-auto flex w-full max-w-3xl flex-col items-center justify-between gap-3 px-4 py-6 text-center sm:flex-row sm:text-left">
          <p className="text-sm text-zinc-700 dark:text-zinc-300">{t("sharedCta")}</p>
          <Link
            href={cta.href}
            className="rounded-lg bg-zinc-900 px-4 py-2 text-sm font-medium text-white hover:bg-zinc-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 dark:bg-white dark:text-zinc-900 dark:hover:bg-zinc-200"
          >
            {cta.label}
          </Link>
        </div>
      </footer>
    </div>
  );
}
