"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { IMPORT_BODY_MAX_BYTES } from "@/lib/limits";
import { DownloadIcon } from "../_components/export-menu-items";

type State =
  | { step: "idle" }
  | { step: "uploading"; percent: number }
  | { step: "processing" }
  | { step: "done"; count: number }
  | { step: "failed"; message: string };

/**
 * Settings → Your data (docs/ui.md#settings): import a file (our export or ChatGPT's
 * conversations.json) with upload progress, and "Export everything". The upload is an
 * XMLHttpRequest because fetch reports no upload progress; the imported chats then appear in
 * the sidebar (a refresh of the server-rendered layout).
 */
export function DataPortability() {
  const { t } = useI18n();
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File>();
  const [state, setState] = useState<State>({ step: "idle" });
  const busy = state.step === "uploading" || state.step === "processing";

  function upload(chosen: File) {
    if (chosen.size > IMPORT_BODY_MAX_BYTES) return setState({ step: "failed", message: t("importTooLarge") });
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/chatbot/room/import/");
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (!event.lengthComputable) return;
      const percent = Math.round((event.loaded / event.total) * 100);
      setState(percent >= 100 ? { step: "processing" } : { step: "uploading", percent });
    };
    xhr.upload.onload = () => setState({ step: "processing" });
    xhr.onerror = () => setState({ step: "failed", message: t("errorOffline") });
    xhr.onload = () => {
      if (xhr.status === 201) {
        const rooms = JSON.parse(xhr.responseText) as unknown[];
        setState({ step: "done", count: rooms.length });
        setFile(undefined);
        if (input.current) input.current.value = "";
        router.refresh();
        return;
      }
      setState({ step: "failed", message: failure(xhr) });
    };
    setState({ step: "uploading", percent: 0 });
    xhr.send(chosen);
  }

  function failure(xhr: XMLHttpRequest): string {
    if (xhr.status === 401) return t("errorSession");
    if (xhr.status === 413) return t("importTooLarge");
    if (xhr.status === 429) return t("errorRateLimited", { seconds: xhr.getResponseHeader("Retry-After") ?? "60" });
    let detail = `HTTP ${xhr.status}`;
    try {
      const body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      const first = typeof body.detail === "string" ? body.detail : Object.values(body).flat()[0];
      if (typeof first === "string") detail = first;
    } catch {
      // not JSON: keep the status
    }
    return t("importFailed", { detail });
  }

  const button =
    "inline-flex items-center gap-2 rounded-lg border border-zinc-300 px-4 py-2 text-sm hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-blue-600 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800";
  return (
    <section aria-labelledby="data-heading" className="space-y-6">
      <h2 id="data-heading" className="text-lg font-semibold">
        {t("yourData")}
      </h2>
      <div className="space-y-3">
        <h3 className="font-medium">{t("importChats")}</h3>
        <p className="text-sm text-zinc-600 dark:text-zinc-300">{t("importHelp")}</p>
        <form
          className="flex flex-col gap-2 sm:flex-row sm:items-center"
          onSubmit={(event) => {
            event.preventDefault();
            if (file && !busy) upload(file);
          }}
        >
          <label className="sr-only" htmlFor="import-file">
            {t("importFile")}
          </label>
          <input
            ref={input}
            id="import-file"
            type="file"
            accept=".json,application/json"
            disabled={busy}
            onChange={(event) => {
              setFile(event.target.files?.[0]);
              setState({ step: "idle" });
            }}
            className="min-w-0 flex-1 text-sm file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm dark:file:border-zinc-700 dark:file:bg-zinc-900 dark:file:text-zinc-100"
          />
          <button disabled={!file || busy} className={button}>
            {t("importButton")}
          </button>
        </form>
        {busy && (
          <progress
            aria-label={t("importProgress")}
            max={100}
            value={state.step === "uploading" ? state.percent : undefined}
            className="h-2 w-full"
          />
        )}
        <p role="status" className="text-sm">
          {state.step === "uploading" && t("importUploading", { percent: state.percent })}
          {state.step === "processing" && t("importProcessing")}
          {state.step === "done" && (state.count === 1 ? t("importedOne") : t("imported", { n: state.count }))}
        </p>
        {state.step === "failed" && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {state.message}
          </p>
        )}
      </div>
      <div className="space-y-3">
        <h3 className="font-medium">{t("exportEverything")}</h3>
        <p className="text-sm text-zinc-600 dark:text-zinc-300">{t("exportEverythingHelp")}</p>
        <a href="/api/chatbot/auth/me/export/" download className={button}>
          <DownloadIcon />
          {t("exportEverything")}
        </a>
      </div>
    </section>
  );
}
