"use client";

import { useTheme } from "next-themes";
import { useOptimistic, useSyncExternalStore, useTransition } from "react";
import { useI18n } from "@/lib/i18n/client";
import type { Locale } from "@/lib/i18n/messages";
import { setLocaleAction } from "../actions";

/**
 * Language (한국어 / English) and theme (system / light / dark). The chosen language is
 * checked at once and "Saving…" shows while the server re-renders the app in it (the
 * action's revalidatePath brings the new page back in the same response).
 */
const noSubscription = () => () => {};

export function Preferences({ locale }: { locale: Locale }) {
  const { t } = useI18n();
  const { theme, setTheme } = useTheme();
  // The theme is known only in the browser (next-themes reads it there): no choice is shown
  // as checked in the server's HTML, so hydration never disagrees.
  const mounted = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const [saving, startTransition] = useTransition();
  const [chosenLocale, setChosenLocale] = useOptimistic(locale);

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
                checked={chosenLocale === value}
                onChange={() =>
                  startTransition(async () => {
                    setChosenLocale(value);
                    await setLocaleAction(value);
                  })
                }
                className="accent-blue-600"
              />
              {value === "ko" ? "한국어" : "English"}
            </label>
          ))}
          <span role="status" className="self-center px-1 text-sm text-zinc-500 dark:text-zinc-400">
            {saving ? t("saving") : ""}
          </span>
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
