import "server-only";
import crypto from "node:crypto";
import { ApiError } from "@/lib/errors";
import type { RenderedRead } from "@/lib/rooms";

/**
 * Conditional GETs (docs/api.md#conditional-requests). A response's ETag is a digest of the
 * rows it is made of — each row's id and its Postgres `xmin` (the transaction that last wrote
 * that row version: any UPDATE gives the row a new one) — plus whatever else shapes the body
 * or its headers (paging flags). So a tag is computed from the rows already read, before and
 * without serializing them, and a client whose `If-None-Match` still matches gets a 304 with
 * no body: no JSON, no compression, no bytes on the wire.
 */

/** Bumped when the JSON shape of a resource changes, so tags minted before do not match. */
const SHAPE = "v2";

export type Versioned = { id: number; version: string };

export function etagOf(parts: (Versioned | Versioned[] | string | number | boolean | undefined)[]): string {
  const hash = crypto.createHash("sha1").update(SHAPE);
  for (const part of parts) {
    if (Array.isArray(part)) for (const row of part) hash.update(`|${row.id}:${row.version}`);
    else if (typeof part === "object") hash.update(`|${part.id}:${part.version}`);
    else hash.update(`|${String(part)}`);
  }
  return `W/"${hash.digest("base64url")}"`;
}

/** RFC 9110 §13.1.2: `*` or any listed tag, compared weakly. */
export function isFresh(req: Request, etag: string): boolean {
  const header = req.headers.get("if-none-match");
  if (!header) return false;
  if (header.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  const mine = opaque(etag);
  return header.split(",").some((tag) => opaque(tag) === mine);
}

/**
 * The tag values (no `W/`, no quotes) the client holds, for a query that compares them itself
 * (lib/rooms/rendered.ts); `*` as `*`. At most 16 are kept: a longer list is not a browser's.
 */
export function knownTags(req: Request): string[] {
  const header = req.headers.get("if-none-match");
  if (!header) return [];
  return header
    .split(",")
    .slice(0, 16)
    .map((tag) => tag.trim().replace(/^W\//, "").replace(/^"(.*)"$/, "$1"))
    .filter((tag) => /^[\x21\x23-\x7e]{1,128}$/.test(tag));
}

/** Browsers may keep the body but must ask again each time (`no-cache`), and only for this user (`private`). */
export const REVALIDATE = "private, no-cache";

/**
 * The JSON answer of a conditional GET: 304 when the client's copy is current, else the body
 * (built only then) with its tag.
 */
export function conditionalJson(req: Request, etag: string, body: () => unknown, headers: Record<string, string> = {}) {
  const common = { ETag: etag, "Cache-Control": REVALIDATE, Vary: "Authorization, Cookie" };
  if (isFresh(req, etag)) return new Response(null, { status: 304, headers: { ...common, ...headers } });
  return Response.json(body(), { headers: { ...common, ...headers } });
}

/**
 * The answer of a read Postgres rendered (lib/rooms/rendered.ts): 304 when the body was left
 * out because the client holds the tag (or sent `*`), else the JSON text as it came; the
 * token's 401 or the room's 404 when the read found neither.
 */
export function renderedJson(req: Request, read: RenderedRead, headers: Record<string, string> = {}) {
  if (read === "unauthenticated") throw ApiError.invalidToken();
  if (read === "not_found") throw ApiError.notFound();
  const common = { ETag: `W/"${read.tag}"`, "Cache-Control": REVALIDATE, Vary: "Authorization, Cookie", ...headers };
  if (read.body === null) return new Response(null, { status: 304, headers: common });
  return new Response(read.body, { headers: { ...common, "Content-Type": "application/json" } });
}
