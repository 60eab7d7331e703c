"use client";

import { useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { CheckIcon, CopyIcon, RefreshIcon } from "./icons";
import { Markdown } from "./markdown";

export type UiMessage = {
  key: string;
  id?: number;
  role: "user" | "bot";
  message: string;
  stopped?: boolean;
  streaming?: boolean;
};

/** One message: the user's as plain text, the bot's as Markdown; Copy on each. */
export function Message({ message, onRegenerate }: { message: UiMessage; onRegenerate?: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const isUser = message.role === "user";

  async function copy() {
    try {
      await navigator.clipboard.writeText(message.message);
      setCopied(true);
      setTimeout(() => setCopied(false), 1_500);
    } catch {
      // clipboard refused (permissions): nothing to do
    }
  }

  return (
    <article
      aria-label={isUser ? t("you") : t("bot")}
      data-role={message.role}
      className={`group flex flex-col ${isUser ? "items-end" : "items-start"}`}
    >
      <div
        className={
          isUser
            ? "max-w-[85%] whitespace-pre-wrap break-words rounded-2xl bg-zinc-100 px-4 py-2.5 dark:bg-zinc-800"
            : "w-full max-w-none px-1 py-1"
        }
      >
        {isUser ? (
          message.message
        ) : message.message ? (
          <Markdown text={message.message} />
        ) : (
          <span className="inline-flex items-center gap-2 text-zinc-500 dark:text-zinc-400" role="status">
            <span className="size-2 animate-pulse rounded-full bg-current" />
            {t("thinking")}
          </span>
        )}
        {message.streaming && message.message && (
          <span aria-hidden="true" className="ml-0.5 inline-block h-4 w-1.5 animate-pulse bg-current align-middle" />
        )}
      </div>
      {!message.streaming && (
        <div className="mt-1 flex items-center gap-1 text-zinc-500 dark:text-zinc-400">
          {message.stopped && <span className="px-1 text-xs">{t("stopped")}</span>}
          <button
            type="button"
            onClick={copy}
            aria-label={copied ? t("copied") : t("copy")}
            title={copied ? t("copied") : t("copy")}
            className="rounded-md p-1.5 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
          >
            {copied ? <CheckIcon /> : <CopyIcon />}
          </button>
          {onRegenerate && (
            <button
              type="button"
              onClick={onRegenerate}
              aria-label={t("regenerate")}
              title={t("regenerate")}
              className="rounded-md p-1.5 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
            >
              <RefreshIcon />
            </button>
          )}
        </div>
      )}
    </article>
  );
}
