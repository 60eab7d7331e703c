"use client";

import { useState, useTransition } from "react";
import { useI18n } from "@/lib/i18n/client";
import { createTokenAction, revokeTokenAction } from "../actions";
import { CheckIcon, CopyIcon } from "../_components/icons";
import { useToast } from "../_components/toasts";

/** A token as listed, with its dates already formatted by the server (lib/i18n/format.ts). */
type Token = { id: number; name: string; created_at: string; last_used_at: string | null; createdLabel: string; lastUsedLabel: string };

/** Create (shown once, with Copy), list with last use, revoke. */
export function TokenManager({ tokens }: { tokens: Token[] }) {
  const { t } = useI18n();
  const notify = useToast();
  const [name, setName] = useState("");
  const [created, setCreated] = useState<{ name: string; token: string }>();
  const [copied, setCopied] = useState(false);
  const [pending, startTransition] = useTransition();

  return (
    <div className="space-y-4">
      <form
        className="flex flex-col gap-2 sm:flex-row"
        onSubmit={(event) => {
          event.preventDefault();
          startTransition(async () => {
            try {
              const token = await createTokenAction(name);
              if (!token.ok) {
                notify(token.error === "too_many_tokens" ? t("tooManyTokens") : t("errorGeneric", { detail: "detail" in token ? token.detail : token.error }));
                return;
              }
              setCreated(token);
              setCopied(false);
              setName("");
            } catch (error) {
              notify(t("errorGeneric", { detail: (error as Error).message }));
            }
          });
        }}
      >
        <label className="sr-only" htmlFor="token-name">
          {t("tokenName")}
        </label>
        <input
          id="token-name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          placeholder={t("tokenName")}
          maxLength={100}
          className="flex-1 rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-zinc-700 dark:bg-zinc-950"
        />
        <button
          disabled={pending}
          className="rounded-lg bg-zinc-900 px-4 py-2 text-sm font-medium text-white hover:bg-zinc-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 disabled:opacity-50 dark:bg-white dark:text-zinc-900"
        >
          {t("createToken")}
        </button>
      </form>

      {created && (
        <div role="status" className="space-y-2 rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950">
          <p>{t("tokenCreated")}</p>
          <div className="flex items-center gap-2">
            <code data-testid="new-token" className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1 font-mono text-xs dark:bg-zinc-900">
              {created.token}
            </code>
            <button
              type="button"
              onClick={async () => {
                await navigator.clipboard.writeText(created.token).catch(() => undefined);
                setCopied(true);
              }}
              aria-label={copied ? t("copied") : t("copy")}
              className="rounded-md p-2 hover:bg-emerald-100 focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-emerald-900"
            >
              {copied ? <CheckIcon /> : <CopyIcon />}
            </button>
          </div>
        </div>
      )}

      {tokens.length === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">{t("noTokens")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-zinc-500 dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-2 pr-3 font-medium">{t("tokenColumnName")}</th>
                <th scope="col" className="py-2 pr-3 font-medium">{t("tokenColumnCreated")}</th>
                <th scope="col" className="py-2 pr-3 font-medium">{t("tokenColumnLastUsed")}</th>
                <th scope="col" className="py-2"><span className="sr-only">{t("revoke")}</span></th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id} className="border-t border-zinc-200 dark:border-zinc-800">
                  <td className="py-2 pr-3">{token.name || "—"}</td>
                  <td className="py-2 pr-3 sm:whitespace-nowrap">
                    <time dateTime={token.created_at}>{token.createdLabel}</time>
                  </td>
                  <td className="py-2 pr-3 sm:whitespace-nowrap">
                    {token.last_used_at ? <time dateTime={token.last_used_at}>{token.lastUsedLabel}</time> : token.lastUsedLabel}
                  </td>
                  <td className="py-2 text-right">
                    <button
                      type="button"
                      onClick={() => {
                        if (!window.confirm(t("revokeConfirm", { name: token.name || "—" }))) return;
                        startTransition(async () => {
                          const result = await revokeTokenAction(token.id);
                          if (!result.ok) notify(t("errorGeneric", { detail: result.error }));
                        });
                      }}
                      aria-label={`${t("revoke")} ${token.name}`}
                      className="rounded-md px-2 py-1 text-red-600 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-blue-600 dark:text-red-400 dark:hover:bg-red-950"
                    >
                      {t("revoke")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
