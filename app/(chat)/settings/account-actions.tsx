"use client";

import { signOut } from "next-auth/react";
import { useI18n } from "@/lib/i18n/client";
import { signOutEverywhereAction } from "../actions";

export function AccountActions() {
  const { t } = useI18n();
  const button =
    "rounded-lg border border-zinc-300 px-4 py-2 text-sm hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-zinc-700 dark:hover:bg-zinc-800";
  return (
    <div className="flex flex-wrap gap-2">
      <button type="button" className={button} onClick={() => signOut({ callbackUrl: "/sign-in" })}>
        {t("signOut")}
      </button>
      <button
        type="button"
        className={button}
        onClick={async () => {
          await signOutEverywhereAction();
          await signOut({ callbackUrl: "/sign-in" });
        }}
      >
        {t("signOutEverywhere")}
      </button>
    </div>
  );
}
