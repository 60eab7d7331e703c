import "server-only";
import type { z } from "zod";
import type { User } from "@/db/schema";
import { requireSessionUser } from "./session";

export type InvalidInput = { ok: false; error: string };

/**
 * A server action that resolves its caller and checks what the browser sent before `run`
 * does anything (docs/security.md#ownership). A server action is a public endpoint: its
 * arguments are whatever a client posts, whatever the TypeScript types said. Invalid input
 * answers `{ok: false, error}`, the shape every action already returns for a refusal.
 */
export function authedAction<Args extends unknown[], R>(
  schema: z.ZodType<Args>,
  run: (user: User, ...args: Args) => Promise<R>,
  options: { returnTo?: string } = {},
) {
  return async (...args: Args): Promise<R | InvalidInput> => {
    const user = await requireSessionUser(options.returnTo ?? "/chat");
    const parsed = schema.safeParse(args);
    if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "Invalid input." };
    return run(user, ...parsed.data);
  };
}
