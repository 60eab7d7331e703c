import Link from "next/link";
import { oauthProviders } from "@/lib/auth/options";
import type { MessageKey } from "@/lib/i18n/messages";
import { getTranslator } from "@/lib/i18n/server";
import { CredentialsForm } from "./credentials-form";
import { OAuthButtons } from "./oauth-buttons";

/** The sign-in and sign-up pages: one card, the form, OAuth when configured, the other link. */
/** next-auth's `?error=` codes (ours from lib/auth/options.ts included) → what the user reads. */
const SIGN_IN_ERRORS: Record<string, MessageKey> = {
  OAuthAccountNotLinked: "oauthNotLinked",
  OAuthEmailUnverified: "oauthEmailUnverified",
  OAuthRegistrationClosed: "oauthRegistrationClosed",
};

export async function AuthCard({
  mode,
  callbackUrl,
  error,
}: {
  mode: "sign-in" | "sign-up";
  callbackUrl: string;
  error?: string;
}) {
  const { t } = await getTranslator();
  const errorKey = error ? (SIGN_IN_ERRORS[error] ?? "oauthFailed") : undefined;
  const other = mode === "sign-in" ? "/sign-up" : "/sign-in";
  return (
    <main className="flex min-h-dvh items-center justify-center bg-zinc-50 px-4 py-10 dark:bg-zinc-950">
      <div className="w-full max-w-sm space-y-6 rounded-2xl border border-zinc-200 bg-white p-6 shadow-sm sm:p-8 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="space-y-1 text-center">
          <p className="text-sm font-semibold tracking-wide text-blue-600 dark:text-blue-400">{t("appName")}</p>
          <h1 className="text-2xl font-semibold">{mode === "sign-in" ? t("signInTitle") : t("signUpTitle")}</h1>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("tagline")}</p>
        </div>
        {errorKey && (
          <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
            {t(errorKey)}
          </p>
        )}
        <CredentialsForm mode={mode} callbackUrl={callbackUrl} />
        <OAuthButtons providers={oauthProviders()} callbackUrl={callbackUrl} />
        <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">
          {mode === "sign-in" ? t("noAccount") : t("haveAccount")}{" "}
          <Link
            href={`${other}?callbackUrl=${encodeURIComponent(callbackUrl)}`}
            className="font-medium text-zinc-900 underline underline-offset-2 dark:text-zinc-100"
          >
            {mode === "sign-in" ? t("signUp") : t("signIn")}
          </Link>
        </p>
      </div>
    </main>
  );
}
