import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { requestOrigin, safeCallbackUrl } from "@/lib/auth/callback-url";
import { getSessionUser } from "@/lib/auth/session";
import { AuthCard } from "../auth-card";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  const params = await searchParams;
  // Only a path of this site survives (docs/security.md); anything else falls back to /chat.
  const callbackUrl = safeCallbackUrl(params.callbackUrl, requestOrigin(await headers()));
  if (await getSessionUser()) redirect(callbackUrl);
  // next-auth sends refused or failed OAuth sign-ins here (pages.error) with `?error=`.
  return <AuthCard mode="sign-in" callbackUrl={callbackUrl} error={typeof params.error === "string" ? params.error : undefined} />;
}
