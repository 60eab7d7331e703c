"use client";

import { signIn } from "next-auth/react";
import { useI18n } from "@/lib/i18n/client";

/** GitHub / Google, only those configured by env (docs/ui.md). */
export function OAuthButtons({ providers, callbackUrl }: { providers: { github: boolean; google: boolean }; callbackUrl: string }) {
  const { t } = useI18n();
  const enabled = (["github", "google"] as const).filter((p) => providers[p]);
  if (enabled.length === 0) return null;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex items-center gap-3 text-xs text-zinc-500 dark:text-zinc-400">
        <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
        {t("orContinueWith")}
        <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
      </div>
      {enabled.map((provider) => (
        <button
          key={provider}
          type="button"
          onClick={() => signIn(provider, { callbackUrl })}
          className="rounded-lg border border-zinc-300 px-3 py-2.5 text-sm font-medium hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-zinc-700 dark:hover:bg-zinc-800"
        >
          {t("continueWith", { provider: provider === "github" ? "GitHub" : "Google" })}
        </button>
      ))}
    </div>
  );
}
