"use client";

import { useEffect, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { highlightNow, highlightable, loadLanguage } from "../_lib/highlight";
import { CheckIcon, CopyIcon } from "./icons";

/** A fenced code block: its language, a Copy button, and the code (highlighted once its grammar is loaded). */
export function CodeBlock({ code, language: tag }: { code: string; language?: string }) {
  const { t } = useI18n();
  const language = highlightable(tag);
  const [ready, setReady] = useState(false);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!language) return;
    let live = true;
    void loadLanguage(language).then((ok) => live && setReady(ok));
    return () => {
      live = false;
    };
  }, [language]);

  // Only after mount (`ready`): the server and the hydrating client both show plain code.
  const html = ready && language ? highlightNow(code, language) : undefined;

  async function copy() {
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
      setTimeout(() => setCopied(false), 1_500);
    } catch {
      // clipboard refused (permissions): nothing to do
    }
  }

  return (
    <div className="code-block" data-language={tag || undefined}>
      <div className="flex items-center justify-between gap-2 border-b border-zinc-200 py-1 pl-3 pr-1 text-xs text-zinc-600 dark:border-zinc-700/70 dark:text-zinc-400">
        <span className="font-mono">{tag || "text"}</span>
        <button
          type="button"
          onClick={copy}
          aria-label={copied ? t("copied") : t("copyCode")}
          className="inline-flex items-center gap-1 rounded-md px-2 py-1 hover:bg-zinc-200 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
        >
          {copied ? <CheckIcon className="size-3.5" /> : <CopyIcon className="size-3.5" />}
          {copied ? t("copied") : t("copy")}
        </button>
      </div>
      <pre>
        {html !== undefined ? (
          <code className={`hljs language-${language}`} dangerouslySetInnerHTML={{ __html: html }} />
        ) : (
          <code className={`hljs${tag ? ` language-${tag}` : ""}`}>{code}</code>
        )}
      </pre>
    </div>
  );
}
