import "server-only";
import { cookies, headers } from "next/headers";
import { TIME_ZONE_COOKIE, safeTimeZone } from "./format";
import { LOCALES, MESSAGES, localeFromAcceptLanguage, translate, type Locale, type MessageKey } from "./messages";

export const LOCALE_COOKIE = "lang";

/** The user's choice (cookie), else the browser's language (docs/ui.md). */
export async function getLocale(): Promise<Locale> {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (chosen && (LOCALES as readonly string[]).includes(chosen)) return chosen as Locale;
  return localeFromAcceptLanguage((await headers()).get("accept-language"));
}

export async function getTranslator() {
  const locale = await getLocale();
  const messages = MESSAGES[locale];
  return { locale, messages, t: (key: MessageKey, values?: Record<string, string | number>) => translate(messages, key, values) };
}

/** The browser's time zone, from the cookie the app shell sets; UTC until it has. */
export async function getTimeZone() {
  return safeTimeZone((await cookies()).get(TIME_ZONE_COOKIE)?.value);
}
