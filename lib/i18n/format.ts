import type { Locale } from "./messages";

/** The cookie in which the browser tells the server its IANA time zone (set by the app shell). */
export const TIME_ZONE_COOKIE = "tz";

/** A time zone name Intl accepts, else UTC (the cookie is the client's word). */
export function safeTimeZone(raw: string | undefined) {
  if (!raw) return "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone: raw });
    return raw;
  } catch {
    return "UTC";
  }
}

/**
 * Every date the UI shows is formatted here, on the server, in the user's language and time
 * zone, and sent to the browser as text. The browser never formats dates itself: its ICU
 * data and zone can differ from the server's, and a different string is a hydration error.
 */
export function formatDateTime(instant: string | Date, locale: Locale, timeZone: string) {
  // A 24-hour clock: Node's ICU data here has no Korean day periods (it wrote "PM" where a
  // browser writes "오후"), and 24-hour times read naturally in both languages.
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", hourCycle: "h23", timeZone }).format(new Date(instant));
}

/** The day only ("Nov 25, 2026", "2026. 11. 25."): where the time would say little, or be in UTC for a visitor. */
export function formatDate(instant: string | Date, locale: Locale, timeZone: string) {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone }).format(new Date(instant));
}

/** A day of the usage report ("YYYY-MM-DD", a UTC day) as "Nov 24" / "11월 24일". */
export function formatDay(date: string, locale: Locale) {
  return new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
}

/** A count with the locale's digit grouping ("12,345"). */
export function formatCount(n: number, locale: Locale) {
  return new Intl.NumberFormat(locale).format(n);
}
