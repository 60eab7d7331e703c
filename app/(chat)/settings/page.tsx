import type { Metadata } from "next";
import Link from "next/link";
import { tokenJson } from "@/lib/serializers";
import { requireSessionUser } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/i18n/format";
import { getTimeZone, getTranslator } from "@/lib/i18n/server";
import { listApiTokens } from "@/lib/tokens";
import { usageForUser } from "@/lib/usage";
import { AccountActions } from "./account-actions";
import { DataPortability } from "./data-portability";
import { PasswordForm } from "./password-form";
import { Preferences } from "./preferences";
import { TokenManager } from "./token-manager";
import { UsageSection } from "./usage-section";

const USAGE_DAYS = 30;

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslator()).t("settings") };
}

/** Settings (docs/ui.md): usage, API tokens, language, theme, import and export, sign out, password (docs/security.md). */
export default async function SettingsPage() {
  const user = await requireSessionUser("/settings");
  const { t, locale } = await getTranslator();
  const timeZone = await getTimeZone();
  const tokens = (await listApiTokens(user.id)).map(tokenJson).map((token) => ({
    ...token,
    createdLabel: formatDateTime(token.created_at, locale, timeZone),
    lastUsedLabel: token.last_used_at ? formatDateTime(token.last_used_at, locale, timeZone) : t("never"),
  }));
  const usage = await usageForUser({ userId: user.id, days: USAGE_DAYS });
  const [helpBefore, helpAfter] = t("tokensHelp").split("{header}");
  return (
    <div className="min-h-0 flex-1 overflow-y-auto">
      <div className="mx-auto flex max-w-2xl flex-col gap-10 px-4 py-8">
        <div className="flex items-center justify-between gap-4">
          <h1 className="text-2xl font-semibold">{t("settings")}</h1>
          <Link href="/chat" className="text-sm text-zinc-600 underline-offset-2 hover:underline dark:text-zinc-300">
            {t("backToChat")}
          </Link>
        </div>
        <UsageSection usage={usage} days={USAGE_DAYS} locale={locale} t={t} />
        <section aria-labelledby="tokens-heading" className="space-y-3">
          <h2 id="tokens-heading" className="text-lg font-semibold">
            {t("tokens")}
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-300">
            {helpBefore}
            <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[0.85em] text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">
              Authorization: Bearer &lt;{t("tokenPlaceholder")}&gt;
            </code>
            {helpAfter}
          </p>
          <TokenManager tokens={tokens} />
        </section>
        <Preferences locale={locale} />
        <DataPortability />
        <section aria-labelledby="account-heading" className="space-y-3">
          <h2 id="account-heading" className="text-lg font-semibold">
            {t("account")}
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-300">
            {user.name ? `${user.name} · ` : ""}
            {user.email}
          </p>
          <AccountActions />
        </section>
        {user.passwordHash && (
          <section aria-labelledby="password-heading" className="space-y-3">
            <h2 id="password-heading" className="text-lg font-semibold">
              {t("changePassword")}
            </h2>
            <p className="text-sm text-zinc-600 dark:text-zinc-300">{t("passwordHelp")}</p>
            <PasswordForm />
          </section>
        )}
      </div>
    </div>
  );
}
