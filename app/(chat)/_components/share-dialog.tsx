"use client";

import { useEffect, useId, useRef, useState, useTransition } from "react";
import { useI18n } from "@/lib/i18n/client";
import { getShareAction, shareRoomAction, unshareRoomAction, type ShareResult, type ShareView } from "../share-actions";
import { CheckIcon, CopyIcon } from "./icons";

const button =
  "inline-flex items-center justify-center gap-1.5 rounded-lg px-3 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 disabled:opacity-50";
const secondary = `${button} border border-zinc-300 hover:bg-zinc-100 dark:border-zinc-600 dark:hover:bg-zinc-800`;
const primary = `${button} bg-zinc-900 font-medium text-white hover:bg-zinc-700 dark:bg-white dark:text-zinc-900 dark:hover:bg-zinc-200`;

/**
 * The room menu's Share dialog (docs/ui.md#sidebar): make the link, copy it, update it (a new
 * link of the chat as it is now), or stop sharing. Errors are shown inside the dialog: a
 * toast would sit under the modal's backdrop.
 */
export function ShareDialog({ roomId, title, onClose }: { roomId: number; title: string; onClose: () => void }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const ids = useId();
  const [share, setShare] = useState<ShareView | null | "loading">("loading");
  const [status, setStatus] = useState<string>();
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function apply(result: ShareResult, done?: string) {
    if (!result.ok) return setError(t("errorGeneric", { detail: result.error }));
    setError(undefined);
    setShare(result.share);
    setStatus(done);
    setCopied(false);
  }

  const run = (action: () => Promise<ShareResult>, done?: string) =>
    startTransition(async () => apply(await action().catch(() => ({ ok: false as const, error: "network" })), done));

  useEffect(() => {
    dialog.current?.showModal();
    run(() => getShareAction(roomId));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [roomId]);

  const link = share && share !== "loading" ? new URL(share.url, window.location.origin).href : undefined;

  async function copy(input: HTMLInputElement | null) {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      input?.select(); // clipboard refused: leave the link selected for a manual copy
    }
  }

  const input = useRef<HTMLInputElement>(null);
  return (
    <dialog
      ref={dialog}
      aria-labelledby={`${ids}-title`}
      aria-describedby={`${ids}-intro`}
      aria-busy={share === "loading" || pending}
      onClose={onClose}
      className="m-auto w-[min(30rem,calc(100vw-2rem))] rounded-xl border border-zinc-200 bg-white p-5 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <h2 id={`${ids}-title`} className="break-words text-lg font-semibold">
        {t("shareTitle", { title })}
      </h2>
      <p id={`${ids}-intro`} className="mt-2 text-sm text-zinc-600 dark:text-zinc-300">
        {t("shareIntro")}
      </p>

      {link && share && share !== "loading" && (
        <div className="mt-4 space-y-2">
          <label htmlFor={`${ids}-link`} className="text-sm font-medium">
            {t("shareLinkLabel")}
          </label>
          <div className="flex flex-col gap-2 sm:flex-row">
            <input
              ref={input}
              id={`${ids}-link`}
              readOnly
              value={link}
              onFocus={(event) => event.target.select()}
              className="min-w-0 flex-1 rounded-lg border border-zinc-300 bg-zinc-50 px-3 py-1.5 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-950"
            />
            <button type="button" onClick={() => copy(input.current)} className={primary}>
              {copied ? <CheckIcon /> : <CopyIcon />}
              {copied ? t("shareCopied") : t("shareCopy")}
            </button>
          </div>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            {t("shareSince", { date: share.sharedAt })} {t("shareUpdateHelp")}
          </p>
        </div>
      )}

      {/* Announces "Link copied" (shown on the button) and "The link no longer works." (shown here). */}
      <p role="status" className={copied ? "sr-only" : "mt-3 text-sm text-emerald-700 empty:hidden dark:text-emerald-400"}>
        {copied ? t("shareCopied") : status}
      </p>
      {error && (
        <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}

      <div className="mt-5 flex flex-wrap justify-end gap-2">
        {share && share !== "loading" && (
          <>
            <button
              type="button"
              disabled={pending}
              onClick={() => run(() => unshareRoomAction(roomId), t("shareStopped"))}
              className={`${button} mr-auto text-red-700 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950`}
            >
              {t("shareStop")}
            </button>
            <button type="button" disabled={pending} onClick={() => run(() => shareRoomAction(roomId, true))} className={secondary}>
              {t("shareUpdate")}
            </button>
          </>
        )}
        <form method="dialog">
          <button className={secondary}>{t("close")}</button>
        </form>
        {share === null && (
          <button type="button" disabled={pending} onClick={() => run(() => shareRoomAction(roomId, false))} className={primary}>
            {t("shareCreate")}
          </button>
        )}
      </div>
    </dialog>
  );
}
