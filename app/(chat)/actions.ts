"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { passwordChangeBody, roomUpdateBody } from "@/lib/api/schemas";
import { toFieldErrors } from "@/lib/api/validation";
import { z } from "zod";
import type { User } from "@/db/schema";
import { authedAction } from "@/lib/auth/authed-action";
import { renewedSessionCookie, requireSessionUser } from "@/lib/auth/session";
import { BULK_DELETE_MAX, NAME_MAX } from "@/lib/limits";
import { ApiError, type FieldErrors } from "@/lib/errors";
import { LOCALES, type Locale } from "@/lib/i18n/messages";
import { LOCALE_COOKIE } from "@/lib/i18n/server";
import { decodeRoomCursor, deleteRoom, deleteRoomsForUser, encodeRoomCursor, getRoomForUser, listRoomsForUser, updateRoom } from "@/lib/rooms";
import { createApiToken, deleteApiToken } from "@/lib/tokens";
import { changePassword, revokeAllSessions } from "@/lib/users";
import { toSidebarRoom, type SidebarRoom } from "./sidebar-data";

/**
 * The browser's mutations. Each resolves the caller itself and goes through the same
 * `lib/` function as the REST API (docs/ui.md: one code path), then refreshes the sidebar.
 */

export type ActionResult = { ok: true } | { ok: false; error: string };

/** A row id as a client may send it: a positive safe integer, else "Not found." (as REST's 404). */
const id = z.number({ error: "Not found." }).int({ error: "Not found." }).positive({ error: "Not found." }).max(Number.MAX_SAFE_INTEGER, { error: "Not found." });

export const renameRoomAction = authedAction(
  z.tuple([id, roomUpdateBody.shape.title]),
  async (user, roomId, title): Promise<ActionResult> => {
    const room = await updateRoom({ roomId, userId: user.id, changes: { title } });
    if (!room) return { ok: false, error: "Not found." };
    revalidatePath("/chat", "layout");
    return { ok: true };
  },
);

export type RoomSettingsResult = { ok: true; model: string | null; system_prompt: string | null } | { ok: false; error: string };

/**
 * A chat's model and system prompt (the picker by the composer, the chat settings dialog): the
 * same rules as PATCH /room/{id}/ (a model outside `LLM_MODELS`, a prompt over 4,000 characters
 * → refused). Neither changes the sidebar, so nothing is revalidated.
 */
export const updateRoomSettingsAction = authedAction(
  z.tuple([id, z.object({ model: roomUpdateBody.shape.model, system_prompt: roomUpdateBody.shape.system_prompt })]),
  async (user, roomId, settings): Promise<RoomSettingsResult> => {
    const changes = Object.fromEntries(
      Object.entries({ model: settings.model, systemPrompt: settings.system_prompt }).filter(([, value]) => value !== undefined),
    );
    const room = Object.keys(changes).length
      ? await updateRoom({ roomId, userId: user.id, changes })
      : await getRoomForUser({ roomId, userId: user.id });
    if (!room) return { ok: false, error: "Not found." };
    return { ok: true, model: room.model, system_prompt: room.systemPrompt };
  },
);

export const deleteRoomAction = authedAction(z.tuple([id]), async (user, roomId): Promise<ActionResult> => {
  const deleted = await deleteRoom({ roomId, userId: user.id });
  if (!deleted) return { ok: false, error: "Not found." };
  revalidatePath("/chat", "layout");
  return { ok: true };
});

/** Pins or unpins a room (docs/ui.md#sidebar); its activity (`updated_at`) stays as it was. */
export const setRoomPinnedAction = authedAction(z.tuple([id, z.boolean()]), async (user, roomId, pinned): Promise<ActionResult> => {
  const room = await updateRoom({ roomId, userId: user.id, changes: { pinned } });
  if (!room) return { ok: false, error: "Not found." };
  revalidatePath("/chat", "layout");
  return { ok: true };
});

/** Archives a room (it leaves the list for the Archived view) or brings it back. */
export const setRoomArchivedAction = authedAction(z.tuple([id, z.boolean()]), async (user, roomId, archived): Promise<ActionResult> => {
  const room = await updateRoom({ roomId, userId: user.id, changes: { archived } });
  if (!room) return { ok: false, error: "Not found." };
  revalidatePath("/chat", "layout");
  return { ok: true };
});

/** The sidebar's select mode: the same one-transaction delete as `POST /room/bulk-delete/`. */
export const deleteRoomsAction = authedAction(
  z.tuple([z.array(id).min(1, { error: "Nothing to delete." }).max(BULK_DELETE_MAX, { error: `At most ${BULK_DELETE_MAX} at once.` })]),
  async (user, roomIds): Promise<ActionResult & { deleted?: number[] }> => {
    const deleted = await deleteRoomsForUser({ userId: user.id, roomIds });
    revalidatePath("/chat", "layout");
    return { ok: true, deleted };
  },
);

/** The next page of the sidebar or of the Archived view, or a server-side search (`?q=` of docs/api.md). */
export async function listRoomsAction(input: { cursor?: string; q?: string; archived?: boolean }): Promise<{ rooms: SidebarRoom[]; next?: string }> {
  const user = await requireSessionUser("/chat");
  const cursor = input.cursor ? decodeRoomCursor(input.cursor) : undefined;
  const q = input.q?.slice(0, 200);
  const archived = input.archived === true;
  const page = await listRoomsForUser({ userId: user.id, archived, q, limit: q ? 50 : 100, cursor });
  return { rooms: page.rooms.map(toSidebarRoom), next: page.next && encodeRoomCursor(page.next) };
}

export async function setLocaleAction(locale: Locale) {
  if (!(LOCALES as readonly string[]).includes(locale)) return;
  (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: 365 * 24 * 3600, sameSite: "lax" });
  revalidatePath("/", "layout");
}

export type CreateTokenResult =
  | { ok: true; id: number; name: string; token: string }
  | { ok: false; error: "too_many_tokens" | "other"; detail: string };

/** The same name rules as POST /auth/token/ (no silent cut at 100 characters). */
const tokenName = z.string().trim().max(NAME_MAX, { error: `Ensure this field has no more than ${NAME_MAX} characters.` });

export const createTokenAction = authedAction(z.tuple([tokenName]), createToken, { returnTo: "/settings" });

async function createToken(user: User, name: string): Promise<CreateTokenResult> {
  try {
    const created = await createApiToken(user.id, name || "API token");
    revalidatePath("/settings");
    return { ok: true, id: created.id, name: created.name, token: created.token };
  } catch (error) {
    // The per-user cap (docs/security.md), as in POST /auth/token/.
    if (error instanceof ApiError && error.status === 400) {
      return { ok: false, error: "too_many_tokens", detail: Object.values(error.body()).flat().join(" ") };
    }
    throw error;
  }
}

export const revokeTokenAction = authedAction(
  z.tuple([id]),
  async (user, tokenId): Promise<ActionResult> => {
    const deleted = await deleteApiToken(user.id, tokenId);
    revalidatePath("/settings");
    return deleted ? { ok: true } : { ok: false, error: "Not found." };
  },
  { returnTo: "/settings" },
);

/** Invalidates every session of the user at once (docs/security.md); the caller then signs out. */
export async function signOutEverywhereAction() {
  const user = await requireSessionUser("/settings");
  await revokeAllSessions(user.id);
}

export type PasswordChangeResult =
  | { ok: true }
  | { ok: false; errors: FieldErrors; status: number; retryAfter?: number };

/**
 * Changes the password as POST /auth/password/ does (docs/security.md): every other session ends and
 * the API tokens are deleted; this browser's session is renewed with the new session
 * version, so it stays signed in.
 */
export async function changePasswordAction(input: { old_password: string; new_password: string }): Promise<PasswordChangeResult> {
  const user = await requireSessionUser("/settings");
  const parsed = passwordChangeBody.safeParse(input);
  if (!parsed.success) return { ok: false, errors: toFieldErrors(parsed.error), status: 400 };
  try {
    const { sessionVersion } = await changePassword(user, {
      oldPassword: parsed.data.old_password,
      newPassword: parsed.data.new_password,
    });
    const jar = await cookies();
    const renewed = await renewedSessionCookie(jar, sessionVersion);
    if (renewed) jar.set(renewed.name, renewed.value, renewed.options);
    return { ok: true };
  } catch (error) {
    if (error instanceof ApiError && [400, 429, 503].includes(error.status)) {
      const retryAfter = Number(error.headers["Retry-After"]) || undefined;
      return { ok: false, errors: error.options.fields ?? { non_field_errors: [error.message] }, status: error.status, retryAfter };
    }
    throw error;
  }
}
