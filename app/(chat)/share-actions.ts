"use server";

import { z } from "zod";
import type { RoomShare } from "@/db/schema";
import { shareJson } from "@/lib/serializers";
import { authedAction } from "@/lib/auth/authed-action";
import { formatDateTime } from "@/lib/i18n/format";
import { getTimeZone, getTranslator } from "@/lib/i18n/server";
import { getShareForRoom, shareRoom, unshareRoom } from "@/lib/shares";

/**
 * The share dialog's actions (docs/ui.md#sidebar): the same `lib/shares.ts` functions as
 * `/api/chatbot/room/{id}/share/`, owner-scoped. The link's date is formatted here, on the
 * server, like every date the UI shows (lib/i18n/format.ts).
 */

export type ShareView = { url: string; sharedAt: string };
export type ShareResult = { ok: true; share: ShareView | null } | { ok: false; error: string };

/** A room id as a client may send it: a positive safe integer, else "Not found." (as REST's 404). */
const id = z.number({ error: "Not found." }).int({ error: "Not found." }).positive({ error: "Not found." }).max(Number.MAX_SAFE_INTEGER, { error: "Not found." });
const roomId = z.tuple([id]);
const NOT_FOUND = { ok: false, error: "Not found." } as const;

async function view(share: RoomShare): Promise<ShareView> {
  const { url, created_at } = shareJson(share);
  const { locale } = await getTranslator();
  return { url, sharedAt: formatDateTime(created_at, locale, await getTimeZone()) };
}

export const getShareAction = authedAction(roomId, async (user, room): Promise<ShareResult> => {
  const share = await getShareForRoom({ roomId: room, userId: user.id });
  if (share === undefined) return NOT_FOUND;
  return { ok: true, share: share && (await view(share)) };
});

/** Shares the room (the existing link if any); `renew` makes a new link of the room as it is now. */
export const shareRoomAction = authedAction(
  z.tuple([id, z.boolean()]),
  async (user, room, renew): Promise<ShareResult> => {
    const result = await shareRoom({ roomId: room, userId: user.id, renew });
    if (!result) return NOT_FOUND;
    return { ok: true, share: await view(result.share) };
  },
);

export const unshareRoomAction = authedAction(roomId, async (user, room): Promise<ShareResult> => {
  const existed = await unshareRoom({ roomId: room, userId: user.id });
  if (existed === undefined) return NOT_FOUND;
  return { ok: true, share: null };
});
