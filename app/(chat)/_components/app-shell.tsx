"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { TIME_ZONE_COOKIE } from "@/lib/i18n/format";
import { CloseIcon, MenuIcon } from "./icons";
import { NewRoomsProvider } from "./new-rooms";
import { ToastProvider } from "./toasts";

/**
 * The frame: sidebar beside the content on wide screens, a drawer on phones (docs/ui.md).
 * Also tells the server the browser's time zone, so "Today" means the user's today and
 * dates are formatted in it (lib/i18n/format.ts).
 */
export function AppShell({ sidebar, children }: { sidebar: React.ReactNode; children: React.ReactNode }) {
  const { t } = useI18n();
  const pathname = usePathname();
  const router = useRouter();
  // The drawer is open on the page where it was opened: following a link in it closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const setOpen = (value: boolean) => setOpenOn(value ? pathname : null);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && setOpenOn(null);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open]);
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const current = document.cookie.match(new RegExp(`(?:^|; )${TIME_ZONE_COOKIE}=([^;]*)`))?.[1];
    if (zone && decodeURIComponent(current ?? "") !== zone) {
      document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
      router.refresh();
    }
  }, [router]);

  return (
    <ToastProvider>
      <NewRoomsProvider>
        <a
          href="#main"
          className="sr-only z-50 rounded bg-white px-3 py-2 focus:not-sr-only focus:fixed focus:left-2 focus:top-2 dark:bg-zinc-900"
        >
          {t("skipToContent")}
        </a>
        <div className="flex h-dvh overflow-hidden">
          {open && (
            <div className="fixed inset-0 z-30 bg-black/40 md:hidden" aria-hidden="true" onClick={() => setOpen(false)} />
          )}
          <aside
            id="sidebar"
            aria-label={t("appName")}
            className={`fixed inset-y-0 left-0 z-40 w-72 max-w-[85vw] border-r border-zinc-200 bg-zinc-50 transition-transform dark:border-zinc-800 dark:bg-zinc-900 md:static md:z-auto md:translate-x-0 ${
              open ? "translate-x-0" : "-translate-x-full"
            } ${open ? "" : "max-md:invisible"}`}
          >
            <button
              type="button"
              onClick={() => setOpen(false)}
              aria-label={t("closeSidebar")}
              className="absolute right-2 top-2 z-10 rounded-md p-2 text-zinc-500 hover:bg-zinc-200 focus-visible:outline-2 focus-visible:outline-blue-600 md:hidden dark:hover:bg-zinc-800"
            >
              <CloseIcon />
            </button>
            {sidebar}
          </aside>
          <div className="flex min-w-0 flex-1 flex-col">
            <header className="flex items-center gap-2 border-b border-zinc-200 px-3 py-2 md:hidden dark:border-zinc-800">
              <button
                type="button"
                onClick={() => setOpen(true)}
                aria-label={t("openSidebar")}
                aria-expanded={open}
                aria-controls="sidebar"
                className="rounded-md p-2 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-zinc-800"
              >
                <MenuIcon className="size-5" />
              </button>
              <span className="font-semibold">{t("appName")}</span>
            </header>
            <main id="main" className="flex min-h-0 flex-1 flex-col">
              {children}
            </main>
          </div>
        </div>
      </NewRoomsProvider>
    </ToastProvider>
  );
}
