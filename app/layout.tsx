import type { Metadata, Viewport } from "next";
import { ThemeProvider } from "next-themes";
import { headers } from "next/headers";
import { I18nProvider } from "@/lib/i18n/client";
import { MESSAGES } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { TitleKeeper } from "./_components/title-keeper";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "AInfo Chat", template: "%s · AInfo Chat" },
  description: "Chat with a bot in rooms that remember.",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#09090b" },
  ],
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  // proxy.ts's per-request CSP nonce: next-themes' inline script (no flash of the wrong theme) needs it.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang={locale} suppressHydrationWarning>
      <body className="min-h-dvh bg-white text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <ThemeProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange nonce={nonce}>
          <I18nProvider locale={locale} messages={MESSAGES[locale]}>
            {children}
          </I18nProvider>
          <TitleKeeper />
        </ThemeProvider>
      </body>
    </html>
  );
}
