import Link from "next/link";
import { CredentialsForm } from "../credentials-form";
import { safeCallbackUrl } from "@/lib/auth/callback-url";

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  return (
    <main className="mx-auto flex max-w-sm flex-col gap-6 p-8">
      <h1 className="text-2xl font-semibold">Create an account</h1>
      <CredentialsForm mode="sign-up" callbackUrl={callbackUrl} />
      <p className="text-sm">
        Have an account? <Link href={`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`}>Sign in</Link>
      </p>
    </main>
  );
}
