"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { roomUpdateBody } from "@/lib/api/schemas";
import { requireSessionUser } from "@/lib/auth/session";
import { LOCALES, type Locale } from "@/lib/i18n/messages";
import { LOCALE_COOKIE } from "@/lib/i18n/server";
import { decodeRoomCursor, deleteRoom, encodeRoomCursor, listRoomsForUser, renameRoom } from "@/lib/rooms";
import { createApiToken, deleteApiToken } from "@/lib/tokens";
import { revokeAllSessions } from "@/lib/users";
import { toSidebarRoom, type SidebarRoom } from "./sidebar-data";

/**
 * The browser's mutations. Each resolves the caller itself and goes through the same
 * `lib/` function as the REST API (SPEC §8: one code path), then refreshes the sidebar.
 */

export type ActionResult = { ok: true } | { ok: false; error: string };

export async function renameRoomAction(roomId: number, title: string): Promise<ActionResult> {
  const user = await requireSessionUser("/chat");
  const parsed = roomUpdateBody.safeParse({ title });
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "Invalid title." };
  const room = await renameRoom({ roomId, userId: user.id, title: parsed.data.title });
  if (!room) return { ok: false, error: "Not found." };
  revalidatePath("/chat", "layout");
  return { ok: true };
}

export async function deleteRoomAction(roomId: number): Promise<ActionResult> {
  const user = await requireSessionUser("/chat");
  const deleted = await deleteRoom({ roomId, userId: user.id });
  if (!deleted) return { ok: false, error: "Not found." };
  revalidatePath("/chat", "layout");
  return { ok: true };
}

/** The next page of the sidebar, or a server-side search (`?q=` of SPEC §5). */
export async function listRoomsAction(input: { cursor?: string; q?: string }): Promise<{ rooms: SidebarRoom[]; next?: string }> {
  const user = await requireSessionUser("/chat");
  const cursor = input.cursor ? decodeRoomCursor(input.cursor) : undefined;
  const q = input.q?.slice(0, 200);
  const page = await listRoomsForUser({ userId: user.id, q, limit: q ? 50 : 100, cursor });
  return { rooms: page.rooms.map(toSidebarRoom), next: page.next && encodeRoomCursor(page.next) };
}

export async function setLocaleAction(locale: Locale) {
  if (!(LOCALES as readonly string[]).includes(locale)) return;
  (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: 365 * 24 * 3600, sameSite: "lax" });
  revalidatePath("/", "layout");
}

export async function createTokenAction(name: string) {
  const user = await requireSessionUser("/settings");
  const trimmed = name.trim().slice(0, 100) || "API token";
  const created = await createApiToken(user.id, trimmed);
  revalidatePath("/settings");
  return { id: created.id, name: created.name, token: created.token };
}

export async function revokeTokenAction(tokenId: number): Promise<ActionResult> {
  const user = await requireSessionUser("/settings");
  const deleted = await deleteApiToken(user.id, tokenId);
  revalidatePath("/settings");
  return deleted ? { ok: true } : { ok: false, error: "Not found." };
}

/** Invalidates every session of the user at once (SPEC §10); the caller then signs out. */
export async function signOutEverywhereAction() {
  const user = await requireSessionUser("/settings");
  await revokeAllSessions(user.id);
}
