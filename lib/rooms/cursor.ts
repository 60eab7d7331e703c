/**
 * The opaque `cursor` of `GET /room/?limit=` (docs/api.md#paging): the position of a room in
 * the list's keyset order and the direction to read, base64url JSON. A forged or stale
 * cursor decodes to undefined (a 400), never to a failed cast in SQL.
 */

/** A position in the list's order (pinned first, then by activity) and the way to read from it. */
export type RoomCursor = { pinned: boolean; updatedAt: string; id: number; direction: "next" | "prev" };

export function encodeRoomCursor(cursor: RoomCursor) {
  const position = [cursor.direction === "next" ? "n" : "p", cursor.updatedAt, cursor.id, cursor.pinned ? 1 : 0];
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

export function decodeRoomCursor(raw: string): RoomCursor | undefined {
  try {
    // Cursors minted before pinning existed have no fourth element: they point among the unpinned rooms.
    const [d, updatedAt, id, pinned = 0] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown[];
    if ((d !== "n" && d !== "p") || typeof updatedAt !== "string" || !Number.isSafeInteger(id) || (id as number) < 1)
      return undefined;
    if (pinned !== 0 && pinned !== 1) return undefined;
    if (!isPgUtcTimestamp(updatedAt)) return undefined;
    return { direction: d === "n" ? "next" : "prev", pinned: pinned === 1, updatedAt, id: id as number };
  } catch {
    return undefined;
  }
}

/**
 * Only the text form Postgres gives a UTC timestamptz ("2026-11-24 09:30:12.123456+00"), with
 * a real calendar date: a forged cursor that JavaScript would parse but Postgres would not
 * ("1", "0000-01-01", Feb 31) must be a 400, not a failed cast.
 */
function isPgUtcTimestamp(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T]([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,6})?(\+00(:00)?|Z)$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
