"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { signUp } from "./actions";

/** Sign-in and sign-up share one form; sign-up creates the account first. */
export function CredentialsForm({ mode, callbackUrl }: { mode: "sign-in" | "sign-up"; callbackUrl: string }) {
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function submit(form: FormData) {
    setPending(true);
    setError(undefined);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    if (mode === "sign-up") {
      const result = await signUp({ email, password, name: String(form.get("name") ?? "") });
      if (!result.ok) {
        setError(Object.values(result.errors ?? {}).flat().join(" ") || "Could not create the account.");
        setPending(false);
        return;
      }
    }
    const result = await signIn("credentials", { email, password, redirect: false });
    if (result?.ok) {
      window.location.assign(callbackUrl);
      return;
    }
    setError("Wrong email or password.");
    setPending(false);
  }

  return (
    <form action={submit} className="flex flex-col gap-3">
      {mode === "sign-up" && (
        <label className="flex flex-col gap-1 text-sm">
          Name
          <input name="name" autoComplete="name" className="rounded border px-3 py-2 dark:bg-zinc-900" />
        </label>
      )}
      <label className="flex flex-col gap-1 text-sm">
        Email
        <input name="email" type="email" required autoComplete="email" className="rounded border px-3 py-2 dark:bg-zinc-900" />
      </label>
      <label className="flex flex-col gap-1 text-sm">
        Password
        <input
          name="password"
          type="password"
          required
          minLength={mode === "sign-up" ? 8 : undefined}
          autoComplete={mode === "sign-up" ? "new-password" : "current-password"}
          className="rounded border px-3 py-2 dark:bg-zinc-900"
        />
      </label>
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
      <button disabled={pending} className="rounded bg-zinc-900 px-3 py-2 text-white disabled:opacity-50 dark:bg-white dark:text-zinc-900">
        {mode === "sign-up" ? "Create account" : "Sign in"}
      </button>
    </form>
  );
}
