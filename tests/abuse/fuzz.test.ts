import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { api, baseUrl, createRoom, newClient, request, sendMessage, type Client } from "../support/api";
import { remote } from "../support/remote";

// Property-based abuse of every route under /api/chatbot: random methods, paths (weird ids,
// encodings, traversal), query strings, headers and bodies, as user A (token or session
// cookie), with garbage credentials, or with none. Whatever is sent (docs/api.md):
//  - never a 5xx;
//  - every 4xx is JSON in DRF's shape: {"detail": "…"} or {"field": ["…", …], …};
//  - nothing of user B's (room titles, messages, room or log ids) ever comes back.

const RUNS = 300;

let alice: Client;
let bob: Client;
let aliceCookie: string;
let aliceTokenId: number;
let aliceRoomIds: number[];
let bobRoomIds: number[];
let bobLogIds: number[];
let bobSecrets: string[];

beforeAll(async () => {
  alice = await newClient("fuzzA");
  aliceCookie = (await remote(baseUrl()).signIn(alice)).cookie!;
  aliceTokenId = (await request("GET", "/auth/tokens/", { token: alice.token })).json[0].id;
  aliceRoomIds = [];
  for (let i = 0; i < 5; i++) aliceRoomIds.push((await createRoom(alice, `alice room ${i}`)).id);
  await sendMessage(alice, aliceRoomIds[0]!, "alice says hi");

  bob = await newClient("fuzzB");
  const tag = Math.random().toString(36).slice(2, 10);
  bobSecrets = [`B-secret-title-${tag}`, `B-private-message-${tag}`, bob.email];
  bobRoomIds = [];
  for (let i = 0; i < 3; i++) bobRoomIds.push((await createRoom(bob, `${bobSecrets[0]} ${i}`)).id);
  await sendMessage(bob, bobRoomIds[0]!, bobSecrets[1]!);
  bobLogIds = (await request("GET", `/room/${bobRoomIds[0]}/logs/`, { token: bob.token })).json.map((l: { id: number }) => l.id);
});

// --- generators ---

const ascii = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });
/** Strings that would steer the fake model into failing or hanging on purpose are not "random input". */
const tame = (text: string) => text.replace(/FAIL|HANG|SLOW/g, "x");

const id = () =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...aliceRoomIds.map(String), ...bobRoomIds.map(String), ...bobLogIds.map(String)), weight: 4 },
    fc.constantFrom(
      "0", "-1", "+1", "01", "1e3", "0x1F", "1.5", "%201", "99999999999999999999", "9007199254740993",
      "18446744073709551616", "%00", "%2e%2e", "..%2f..%2f", "%2F", "%252e%252e", "한글", "%ED%95%9C", "😀",
      "%E0%A4%A", "%ZZ", "%C0%AF", "%FF", "null", "undefined", "%5B%5D", "'%20OR%201=1--", "1;DROP%20TABLE%20users",
      "%D9%A1%D9%A2", "${id}", "*", "~", ";", ",",
    ),
    fc.integer().map(String),
    fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
    fc.string({ unit: "grapheme", maxLength: 12 }).map(encodeURIComponent),
  );

const path = () =>
  fc
    .oneof(
      { arbitrary: fc.constantFrom("/room/", "/room/bulk-delete/", "/auth/register/", "/auth/token/", "/auth/tokens/", "/auth/me/"), weight: 3 },
      fc.constantFrom("/", "/unknown/", "/room//", "/ROOM/", "/room/%2e%2e/", "/auth/", "/room/1/logs/extra/", "/room/1/messages/x/"),
      { arbitrary: id().map((x) => `/room/${x}/`), weight: 3 },
      { arbitrary: id().map((x) => `/room/${x}/logs/`), weight: 2 },
      { arbitrary: id().map((x) => `/room/${x}/messages/`), weight: 2 },
      id().map((x) => `/room/${x}/regenerate/`),
      id().map((x) => `/room/${x}/stream/`),
      id().map((x) => `/room/${x}/stop/`),
      id().map((x) => `/room/${x}/share/`),
      fc.tuple(id(), id()).map(([x, y]) => `/room/${x}/logs/${y}/`),
      fc.tuple(id(), id()).map(([x, y]) => `/room/${x}/logs/${y}/feedback/`),
      id().map((x) => `/room/${x}/export/`),
      fc.constantFrom("/room/import/", "/auth/me/export/"),
      id().map((x) => `/auth/tokens/${x}/`),
      fc.array(id(), { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join("/")}/`),
    )
    .chain((p) => fc.boolean().map((slash) => (slash ? p : p.replace(/\/$/, ""))));

const query = () =>
  fc.oneof(
    fc.constant(""),
    fc
      .dictionary(
        fc.constantFrom("limit", "before", "after", "cursor", "q", "archived", "page", "format", "id", "user"),
        fc.oneof(
          fc.constantFrom("1", "0", "-5", "200", "201", "abc", "", "1e2", "%", "제주", "\u0000", "9".repeat(30)),
          fc.constantFrom(...bobLogIds.map(String), ...bobRoomIds.map(String)),
          fc.string({ maxLength: 30 }),
          fc.string({ unit: "grapheme", maxLength: 250 }),
        ),
        { maxKeys: 3 },
      )
      .map((q) => `?${new URLSearchParams(q)}`),
    fc.constantFrom("?limit=%ZZ", "?q=%00", "?limit=1&limit=2", "?before=1&after=2", "?cursor=%FF%FE", "?&&&=", "?q=%25%5F%5C"),
  );

const body = () =>
  fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 3 }).map((v) => tame(JSON.stringify(v) ?? "null")),
    {
      weight: 4,
      arbitrary: fc
      .record(
        {
          title: fc.jsonValue({ maxDepth: 1 }),
          message: fc.oneof(fc.string({ maxLength: 50 }), fc.jsonValue({ maxDepth: 1 })),
          email: fc.oneof(fc.emailAddress(), fc.string()),
          password: fc.string({ maxLength: 300 }),
          name: fc.jsonValue({ maxDepth: 1 }),
          rating: fc.oneof(fc.constantFrom("up", "down"), fc.jsonValue({ maxDepth: 1 })),
          comment: fc.oneof(fc.string({ maxLength: 1_100 }), fc.jsonValue({ maxDepth: 1 })),
          user: fc.constantFrom(...bobRoomIds),
          id: fc.integer(),
          ids: fc.oneof(fc.array(fc.constantFrom(...bobRoomIds, 0, -1, 2 ** 53)), fc.jsonValue({ maxDepth: 2 })),
          pinned: fc.jsonValue({ maxDepth: 1 }),
          archived: fc.jsonValue({ maxDepth: 1 }),
        },
        { requiredKeys: [] },
      )
      .map((v) => tame(JSON.stringify(v))),
    },
    fc.uint8Array({ maxLength: 300 }),
    fc.constantFrom(
      "{", "[1,2", "null", '"str"', '{"title": "\\u0000"}', '{"message": "\\ud800"}', '{"message": "a\\u0000b"}',
      "\uFEFF{}", '{"title": "x"'.padEnd(70_000, " "), '{"__proto__": {"admin": true}, "title": "p"}',
      '{"title": 1e400}', '{"message": {"$ne": null}}',
    ),
    fc.integer({ min: 60_000, max: 300_000 }).map((n) => JSON.stringify({ message: "a".repeat(n), title: "t".repeat(n) })),
  );

/** `arb` one time in `outOf`, else null (fc.option is the other way round: mostly set). */
const sometimes = <T>(arb: fc.Arbitrary<T>, outOf = 4) =>
  fc.oneof({ arbitrary: fc.constant(null), weight: outOf - 1 }, { arbitrary: arb, weight: 1 });

const headers = () =>
  fc.record({
    auth: fc.constantFrom("token", "token", "token", "token", "cookie", "cookie", "none", "garbage"),
    garbage: fc.oneof(
      ascii(80),
      fc.constantFrom("Bearer", "Bearer ", "Bearer a b", "Token ainfo_nope", "Basic YTpi", "bearer ainfo_" + "A".repeat(43)),
    ),
    contentType: fc.option(
      fc.constantFrom(
        "application/json", "application/json", "application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "application/vnd.api+json", "application/xml", "", "garbage/////", ";;;",
      ),
    ),
    accept: fc.option(fc.constantFrom("application/json", "text/event-stream", "*/*", "text/html", "garbage", "application/json, text/event-stream")),
    origin: sometimes(fc.constantFrom("SAME", "https://evil.example", "null"), 2),
    secFetchSite: sometimes(fc.constantFrom("same-origin", "cross-site", "none", "garbage")),
    idempotencyKey: sometimes(fc.oneof(ascii(300), fc.constantFrom("fixed-key", "fixed-key", "k"))),
    extraCookie: sometimes(fc.constantFrom("next-auth.session-token=garbage", "next-auth.session-token.0=a; next-auth.session-token.1=b", "__Secure-next-auth.session-token=x")),
  });

// --- checks ---

/** DRF's error shapes: {"detail": "…"} or field errors {"field": ["…", …], …}. */
function isDrfError(body: unknown): boolean {
  if (!body || typeof body !== "object" || Array.isArray(body)) return false;
  const entries = Object.entries(body);
  if (entries.length === 1 && entries[0]![0] === "detail") return typeof entries[0]![1] === "string";
  return (
    entries.length > 0 &&
    entries.every(([, v]) => Array.isArray(v) && v.length > 0 && v.every((m) => typeof m === "string"))
  );
}

/** Any room of B's (by id, in a room-shaped object) or log of B's room, anywhere in the body. */
function leaksBob(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(leaksBob);
  if (!value || typeof value !== "object") return false;
  const o = value as Record<string, unknown>;
  if ("title" in o && bobRoomIds.includes(o.id as number)) return true;
  if (bobRoomIds.includes(o.chatroom as number) || ("chatroom" in o && bobLogIds.includes(o.id as number))) return true;
  return Object.values(o).some(leaksBob);
}

// Only the methods Next.js routes to handlers: for others (PROPFIND, FOO…) Node or Next answer
// an empty 400 themselves before any app code runs (lib/api/guard.ts).
const anyMethod = () => fc.constantFrom("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

/** Mostly a method the route supports (to get past the 405 into the handler), else anything. */
const call = () =>
  fc
    .oneof(
      {
        weight: 8,
        arbitrary: fc.oneof(
          fc.constantFrom("GET", "POST").map((m) => [m, "/room/"] as const),
          fc.constant(["POST", "/room/bulk-delete/"] as const),
          fc.tuple(fc.constantFrom("GET", "PATCH", "PUT", "DELETE"), id()).map(([m, x]) => [m, `/room/${x}/`] as const),
          id().map((x) => ["GET", `/room/${x}/logs/`] as const),
          id().map((x) => ["POST", `/room/${x}/messages/`] as const),
          id().map((x) => ["POST", `/room/${x}/regenerate/`] as const),
          id().map((x) => ["GET", `/room/${x}/stream/`] as const),
          id().map((x) => ["POST", `/room/${x}/stop/`] as const),
          fc.tuple(fc.constantFrom("GET", "POST", "DELETE"), id()).map(([m, x]) => [m, `/room/${x}/share/`] as const),
          id().map((x) => ["GET", `/room/${x}/export/`] as const),
          fc.constantFrom(["POST", "/room/import/"] as const, ["GET", "/auth/me/export/"] as const),
          fc.constantFrom(["POST", "/auth/register/"] as const, ["POST", "/auth/token/"] as const, ["GET", "/auth/tokens/"] as const),
          id().map((x) => ["DELETE", `/auth/tokens/${x}/`] as const),
          fc.constantFrom("GET", "DELETE").map((m) => [m, "/auth/me/"] as const),
        ),
      },
      { weight: 2, arbitrary: fc.tuple(anyMethod(), path()) },
    )
    .chain(([m, p]) => fc.boolean().map((slash) => [m, slash ? p : p.replace(/\/$/, "")] as const));

describe("fuzzing /api/chatbot", () => {
  it(`${RUNS} random requests: no 5xx, DRF-shaped 4xx, nothing of another user's`, async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(call(), query(), headers(), body(), async ([method, p], q, h, payload) => {
        // Never revoke the token the run itself uses.
        fc.pre(!(method === "DELETE" && new RegExp(`^/auth/tokens/${aliceTokenId}/?$`).test(p)));
        const sent: Record<string, string> = {};
        if (h.auth === "token") sent.authorization = `Bearer ${alice.token}`;
        if (h.auth === "garbage") sent.authorization = h.garbage;
        const cookies = [h.auth === "cookie" ? aliceCookie : undefined, h.extraCookie ?? undefined].filter(Boolean);
        if (cookies.length) sent.cookie = cookies.join("; ");
        if (h.contentType !== null) sent["content-type"] = h.contentType;
        if (h.accept !== null) sent.accept = h.accept;
        if (h.origin !== null) sent.origin = h.origin === "SAME" ? baseUrl() : h.origin;
        if (h.secFetchSite !== null) sent["sec-fetch-site"] = h.secFetchSite;
        if (h.idempotencyKey !== null) sent["idempotency-key"] = h.idempotencyKey;
        const withBody = payload !== undefined && !["GET", "HEAD"].includes(method);

        const res = await fetch(`${api(p)}${q}`, {
          method,
          headers: sent,
          body: withBody ? payload : undefined,
          redirect: "manual",
        });
        const text = await res.text();
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        const where = `${method} ${p}${q} → ${res.status} ${text.slice(0, 300)}`;

        expect(res.status, where).toBeLessThan(500);
        expect(res.status, where).toBeGreaterThanOrEqual(200);
        if (res.status >= 400 && method !== "HEAD") {
          expect(res.headers.get("content-type") ?? "", where).toMatch(/^application\/json/);
          expect(isDrfError(JSON.parse(text)), where).toBe(true);
        }
        for (const secret of bobSecrets) expect(text, where).not.toContain(secret);
        for (const secret of bobSecrets) expect(res.headers.get("link") ?? "", where).not.toContain(secret);
        if ((res.headers.get("content-type") ?? "").startsWith("application/json") && text) {
          expect(leaksBob(JSON.parse(text)), where).toBe(false);
        }
      }),
      { numRuns: RUNS },
    );
    // The run reached the handlers, not only the front door.
    console.log("[fuzz] statuses:", Object.fromEntries([...seen].sort(([a], [b]) => a - b)));
    expect([...seen.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
    expect(seen.has(404) && seen.has(400) && seen.has(401)).toBe(true);
    // …and as A throughout: the run never locked itself out.
    expect((await request("GET", "/room/", { token: alice.token })).status).toBe(200);
  }, 240_000);

  it("B's rooms stay intact after the fuzzing, and stay out of A's reach", async () => {
    const rooms = await request("GET", "/room/", { token: bob.token });
    expect(rooms.json.map((r: { id: number; title: string }) => [r.id, r.title]).sort()).toEqual(
      bobRoomIds.map((id, i) => [id, `${bobSecrets[0]} ${i}`]).sort(),
    );
    const logs = await request("GET", `/room/${bobRoomIds[0]}/logs/`, { token: bob.token });
    expect(logs.json.map((l: { id: number }) => l.id)).toEqual(bobLogIds);
    for (const roomId of bobRoomIds) {
      for (const auth of [{ token: alice.token }, { headers: { cookie: aliceCookie, origin: baseUrl() } }]) {
        for (const method of ["GET", "PATCH", "PUT", "DELETE"]) {
          const res = await request(method, `/room/${roomId}/`, { ...auth, body: method.startsWith("P") ? { title: "taken" } : undefined });
          expect(res.status).toBe(404);
          expect(res.json).toEqual({ detail: "Not found." });
        }
      }
    }
  });
});
