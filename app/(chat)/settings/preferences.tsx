"use client";

import { useRouter } from "next/navigation";
import { useTheme } from "next-themes";
import { useEffect, useState, useTransition } from "react";
import { useI18n } from "@/lib/i18n/client";
import type { Locale } from "@/lib/i18n/messages";
import { setLocaleAction } from "../actions";

/** Language (한국어 / English) and theme (system / light / dark). */
export function Preferences({ locale }: { locale: Locale }) {
  const { t } = useI18n();
  const router = useRouter();
  const { theme, setTheme } = useTheme();
  const [mounted, setMounted] = useState(false);
  const [, startTransition] = useTransition();
  useEffect(() => setMounted(true), []);

  const option = "flex cursor-pointer items-center gap-2 rounded-lg border border-zinc-300 px-3 py-2 text-sm has-[:checked]:border-blue-600 has-[:checked]:bg-blue-50 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-blue-600 dark:border-zinc-700 dark:has-[:checked]:bg-blue-950";

  return (
    <>
      <fieldset className="space-y-3">
        <legend className="text-lg font-semibold">{t("language")}</legend>
        <div className="flex flex-wrap gap-2 pt-3">
          {(["ko", "en"] as const).map((value) => (
            <label key={value} className={option}>
              <input
                type="radio"
                name="language"
                value={value}
                checked={locale === value}
                onChange={() =>
                  startTransition(async () => {
                    await setLocaleAction(value);
                    router.refresh();
                  })
                }
                className="accent-blue-600"
              />
              {value === "ko" ? "한국어" : "English"}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="space-y-3">
        <legend className="text-lg font-semibold">{t("theme")}</legend>
        <div className="flex flex-wrap gap-2 pt-3">
          {(["system", "light", "dark"] as const).map((value) => (
            <label key={value} className={option}>
              <input
                type="radio"
                name="theme"
                value={value}
                checked={mounted && theme === value}
                onChange={() => setTheme(value)}
                className="accent-blue-600"
              />
              {t(value === "system" ? "themeSystem" : value === "light" ? "themeLight" : "themeDark")}
            </label>
          ))}
        </div>
      </fieldset>
    </>
  );
}
