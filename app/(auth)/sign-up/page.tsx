import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { requestOrigin, safeCallbackUrl } from "@/lib/auth/callback-url";
import { getSessionUser } from "@/lib/auth/session";
import { AuthCard } from "../auth-card";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  // Only a path of this site survives (docs/security.md); anything else falls back to /chat.
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl, requestOrigin(await headers()));
  if (await getSessionUser()) redirect(callbackUrl);
  return <AuthCard mode="sign-up" callbackUrl={callbackUrl} />;
}
