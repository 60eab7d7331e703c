import Link from "next/link";
import { CredentialsForm } from "../credentials-form";
import { safeCallbackUrl } from "@/lib/auth/callback-url";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  return (
    <main className="mx-auto flex max-w-sm flex-col gap-6 p-8">
      <h1 className="text-2xl font-semibold">Sign in</h1>
      <CredentialsForm mode="sign-in" callbackUrl={callbackUrl} />
      <p className="text-sm">
        No account? <Link href={`/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}`}>Sign up</Link>
      </p>
    </main>
  );
}
