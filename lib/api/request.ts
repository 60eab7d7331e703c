import { ApiError } from "@/lib/errors";
import { BODY_MAX_BYTES, MESSAGE_BODY_MAX_BYTES } from "@/lib/limits";

export const MAX_BODY_BYTES = BODY_MAX_BYTES;
/**
 * A message may hold 32,000 characters of any script (docs/api.md): up to 4 bytes each in
 * UTF-8, 6 as a JSON `\uXXXX` escape. The messages endpoint allows this much instead.
 */
export const MAX_MESSAGE_BODY_BYTES = MESSAGE_BODY_MAX_BYTES;

/**
 * The JSON body of a request (docs/api.md): 413 over 64 KiB (checked while reading, so a
 * lying or missing Content-Length does not help), 415 for a non-JSON content type,
 * DRF's 400s for malformed JSON or a non-object. An empty body is `{}`, as in DRF.
 */
export async function readJsonBody(req: Request, maxBytes = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const data = await readJsonValue(req, maxBytes);
  if (data === undefined) return {};
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    const got = Array.isArray(data) ? "list" : data === null ? "null" : typeof data === "string" ? "str" : typeof data;
    throw ApiError.validation({ non_field_errors: [`Invalid data. Expected a dictionary, but got ${got}.`] });
  }
  return data as Record<string, unknown>;
}

/**
 * Any JSON value (an import may be a list: ChatGPT's conversations.json), with the same
 * limits and errors as `readJsonBody`; undefined for an empty body.
 */
export async function readJsonValue(req: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const bytes = await readLimited(req, maxBytes);
  if (bytes.length === 0) return undefined;

  const contentType = req.headers.get("content-type") ?? "";
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  if (mediaType !== "application/json" && !/^application\/[\w.+-]+\+json$/.test(mediaType)) {
    throw new ApiError("unsupported_media_type", `Unsupported media type "${contentType || "none"}" in request.`);
  }

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError("bad_request", "JSON parse error - the body is not valid UTF-8.");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError("bad_request", `JSON parse error - ${(error as Error).message}`);
  }
}

async function readLimited(req: Request, maxBytes: number): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

const MIB = 1024 * 1024;
const tooLarge = (maxBytes: number) =>
  new ApiError(
    "payload_too_large",
    `Request body is too large. The limit is ${maxBytes >= MIB && maxBytes % MIB === 0 ? `${maxBytes / MIB} MiB` : `${maxBytes / 1024} KiB`}.`,
  );

/** A path id: a positive integer that fits; anything else is a 404, as in DRF. */
export function parseId(raw: string | undefined): number {
  if (!raw || !/^[1-9]\d{0,15}$/.test(raw)) throw ApiError.notFound();
  const id = Number(raw);
  if (!Number.isSafeInteger(id)) throw ApiError.notFound();
  return id;
}

/** Query parameters as a plain object; a repeated key keeps its last value, as Django does. */
export function queryObject(url: URL): Record<string, string> {
  return Object.fromEntries(url.searchParams.entries());
}

/** A `Link` header (RFC 8288) for the adjacent pages of a list. */
export function linkHeader(url: URL, pages: { next?: Record<string, string>; prev?: Record<string, string> }) {
  const links: string[] = [];
  for (const rel of ["prev", "next"] as const) {
    const params = pages[rel];
    if (!params) continue;
    const target = new URL(url);
    for (const key of ["before", "after", "cursor"]) target.searchParams.delete(key);
    for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
    links.push(`<${target.toString()}>; rel="${rel}"`);
  }
  return links.length > 0 ? links.join(", ") : undefined;
}
