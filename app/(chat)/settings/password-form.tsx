"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useI18n } from "@/lib/i18n/client";
import { waitText } from "@/lib/i18n/messages";
import { changePasswordAction } from "../actions";

const input =
  "w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-blue-600 aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-950";

type Field = "old_password" | "new_password" | "confirm";

/** Change password (docs/security.md): other sessions end and API tokens go; this one stays signed in. */
export function PasswordForm() {
  const { t } = useI18n();
  const router = useRouter();
  const [errors, setErrors] = useState<Partial<Record<Field | "form", string>>>({});
  const [done, setDone] = useState(false);
  const [pending, startTransition] = useTransition();

  function submit(form: HTMLFormElement) {
    const data = new FormData(form);
    const oldPassword = String(data.get("old_password") ?? "");
    const newPassword = String(data.get("new_password") ?? "");
    setDone(false);
    if (newPassword !== String(data.get("confirm") ?? "")) return setErrors({ confirm: t("passwordsDiffer") });
    setErrors({});
    startTransition(async () => {
      try {
        const result = await changePasswordAction({ old_password: oldPassword, new_password: newPassword });
        if (result.ok) {
          form.reset();
          setDone(true);
          router.refresh(); // the token list is empty now
          return;
        }
        if (result.status === 429) return setErrors({ form: t("errorTooManyAttempts", { wait: waitText(t, result.retryAfter ?? 60) }) });
        if (result.status === 503) return setErrors({ form: t("errorBusy") });
        setErrors({
          old_password: result.errors.old_password && (oldPassword ? t("wrongPassword") : result.errors.old_password.join(" ")),
          new_password: result.errors.new_password && t("passwordRules"),
          form: result.errors.non_field_errors?.join(" "),
        });
      } catch {
        setErrors({ form: t("errorOffline") });
      }
    });
  }

  const field = (name: Field, label: string, autoComplete: string) => (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={`password-${name}`} className="text-sm font-medium">
        {label}
      </label>
      <input
        id={`password-${name}`}
        name={name}
        type="password"
        required
        minLength={name === "old_password" ? undefined : 8}
        maxLength={256}
        autoComplete={autoComplete}
        className={input}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `password-${name}-error` : undefined}
      />
      {errors[name] && (
        <p id={`password-${name}-error`} className="text-sm text-red-600 dark:text-red-400">
          {errors[name]}
        </p>
      )}
    </div>
  );

  return (
    <form
      className="flex max-w-sm flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        submit(event.currentTarget);
      }}
    >
      {field("old_password", t("currentPassword"), "current-password")}
      {field("new_password", t("newPassword"), "new-password")}
      {field("confirm", t("confirmNewPassword"), "new-password")}
      {errors.form && (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
          {errors.form}
        </p>
      )}
      {done && (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">
          {t("passwordChanged")}
        </p>
      )}
      <button
        disabled={pending}
        className="self-start rounded-lg bg-zinc-900 px-4 py-2 text-sm font-medium text-white hover:bg-zinc-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 disabled:opacity-50 dark:bg-white dark:text-zinc-900"
      >
        {t("changePassword")}
      </button>
    </form>
  );
}
