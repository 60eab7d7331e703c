"use client";

import { getCsrfToken } from "next-auth/react";
import { useState } from "react";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { useI18n } from "@/lib/i18n/client";
import { waitText } from "@/lib/i18n/messages";
import { signUp } from "./actions";

/**
 * next-auth's credentials callback, posted as its `signIn()` does, but reading the answer
 * ourselves: a refusal (per-IP or per-account limit: 429; argon2 saturated: 503) is the REST
 * API's JSON with Retry-After, which `signIn()` cannot read.
 */
async function signInWithPassword(email: string, password: string) {
  const csrfToken = (await getCsrfToken()) ?? "";
  const res = await fetch("/api/auth/callback/credentials", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: window.location.href, json: "true" }),
  });
  const retryAfter = Number(res.headers.get("retry-after")) || 60;
  const data = (await res.json().catch(() => ({}))) as { url?: string };
  const failed = !res.ok || !data.url || new URL(data.url, window.location.origin).searchParams.has("error");
  return { ok: !failed, status: res.status, retryAfter };
}

const input =
  "w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-[15px] focus-visible:outline-2 focus-visible:outline-blue-600 aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-950";

/** Sign-in and sign-up share one form; sign-up creates the account, then signs in. */
export function CredentialsForm({ mode, callbackUrl }: { mode: "sign-in" | "sign-up"; callbackUrl: string }) {
  const { t } = useI18n();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [pending, setPending] = useState(false);

  async function submit(form: FormData) {
    setPending(true);
    setErrors({});
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    try {
      if (mode === "sign-up") {
        const result = await signUp({ email, password, name: String(form.get("name") ?? "") });
        if (!result.ok) {
          setErrors(result.errors ?? { non_field_errors: [t("errorGeneric", { detail: "sign-up" })] });
          setPending(false);
          return;
        }
      }
      const result = await signInWithPassword(email, password);
      if (result.ok) {
        // The server already kept only a path of this site; checked again where it is used.
        window.location.assign(safeCallbackUrl(callbackUrl, window.location.origin));
        return;
      }
      const message =
        result.status === 429
          ? t("errorTooManyAttempts", { wait: waitText(t, result.retryAfter) })
          : result.status === 503
            ? t("errorBusy")
            : t("wrongCredentials");
      setErrors({ non_field_errors: [message] });
    } catch {
      setErrors({ non_field_errors: [t("errorOffline")] });
    }
    setPending(false);
  }

  const fieldError = (name: string) =>
    errors[name]?.length ? (
      <p id={`${name}-error`} className="text-sm text-red-600 dark:text-red-400">
        {errors[name]!.join(" ")}
      </p>
    ) : null;
  const invalid = (name: string) => (errors[name]?.length ? { "aria-invalid": true, "aria-describedby": `${name}-error` } : {});

  return (
    <form action={submit} className="flex flex-col gap-4" noValidate={false}>
      {mode === "sign-up" && (
        <div className="flex flex-col gap-1.5">
          <label htmlFor="name" className="text-sm font-medium">
            {t("name")}
          </label>
          <input id="name" name="name" autoComplete="name" maxLength={100} className={input} {...invalid("name")} />
          {fieldError("name")}
        </div>
      )}
      <div className="flex flex-col gap-1.5">
        <label htmlFor="email" className="text-sm font-medium">
          {t("email")}
        </label>
        <input id="email" name="email" type="email" required autoComplete="email" className={input} {...invalid("email")} />
        {fieldError("email")}
      </div>
      <div className="flex flex-col gap-1.5">
        <label htmlFor="password" className="text-sm font-medium">
          {t("password")}
        </label>
        <input
          id="password"
          name="password"
          type="password"
          required
          minLength={mode === "sign-up" ? 8 : undefined}
          autoComplete={mode === "sign-up" ? "new-password" : "current-password"}
          className={input}
          {...invalid("password")}
        />
        {fieldError("password")}
      </div>
      {errors.non_field_errors?.length ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
          {errors.non_field_errors.join(" ")}
        </p>
      ) : Object.keys(errors).length > 0 ? (
        <p role="alert" className="sr-only">
          {Object.values(errors).flat().join(" ")}
        </p>
      ) : null}
      <button
        disabled={pending}
        className="mt-1 rounded-lg bg-zinc-900 px-3 py-2.5 text-sm font-medium text-white hover:bg-zinc-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 disabled:opacity-50 dark:bg-white dark:text-zinc-900 dark:hover:bg-zinc-200"
      >
        {mode === "sign-up" ? t("createAccount") : t("signIn")}
      </button>
    </form>
  );
}
