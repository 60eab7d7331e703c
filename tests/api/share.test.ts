import { describe, expect, it } from "vitest";
import { ISO_UTC, baseUrl, createRoom, newClient, request, sendMessage, type Client } from "../support/api";
import { testDatabase } from "../support/db";

/** docs/api.md#share-links: /api/chatbot/room/{id}/share/ and the public page /s/<token>. */

const sql = testDatabase();
const TOKEN = /^\/s\/[A-Za-z0-9_-]{22}$/;

async function share(client: Client, roomId: number) {
  const res = await request("POST", `/room/${roomId}/share/`, { token: client.token });
  expect([200, 201], res.text).toContain(res.status);
  return res.json as { url: string; created_at: string };
}

/** The page as a visitor with no session sees it. */
async function visit(url: string) {
  const res = await fetch(`${baseUrl()}${url}`, { redirect: "manual", headers: { "accept-language": "en" } });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

async function say(client: Client, roomId: number, message: string) {
  const res = await sendMessage(client, roomId, message);
  expect(res.status, res.text).toBe(201);
  return res.json as { user: { message: string }; bot: { message: string } };
}

const meta = (html: string, attribute: "name" | "property", key: string) =>
  new RegExp(`<meta ${attribute}="${key}" content="([^"]*)"`).exec(html)?.[1];

function expectNotFound(res: { status: number; json: any }) {
  expect(res.status).toBe(404);
  expect(res.json).toEqual({ detail: "Not found." });
}

describe("POST /room/{id}/share/", () => {
  it("makes a link: 201 {url, created_at}", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "Shared room");
    const res = await request("POST", `/room/${room.id}/share/`, { token: alice.token });
    expect(res.status).toBe(201);
    expect(Object.keys(res.json).sort()).toEqual(["created_at", "url"]);
    expect(res.json.url).toMatch(TOKEN);
    expect(res.json.created_at).toMatch(ISO_UTC);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
  });

  it("answers the same link again, with 200, with or without the trailing slash", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "Twice");
    const first = await request("POST", `/room/${room.id}/share/`, { token: alice.token });
    const again = await request("POST", `/room/${room.id}/share`, { token: alice.token });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
  });

  it("gives two requests at once one link", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "Race");
    const results = await Promise.all([1, 2, 3].map(() => request("POST", `/room/${room.id}/share/`, { token: alice.token })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(results.map((r) => r.json.url)).size).toBe(1);
  });

  it("needs credentials", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice);
    for (const method of ["GET", "POST", "DELETE"]) {
      const res = await request(method, `/room/${room.id}/share/`);
      expect(res.status, method).toBe(401);
    }
  });

  it("answers only GET, POST and DELETE", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice);
    const res = await request("PUT", `/room/${room.id}/share/`, { token: alice.token });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")?.split(", ").sort()).toEqual(["DELETE", "GET", "HEAD", "OPTIONS", "POST"]);
  });
});

describe("GET /room/{id}/share/", () => {
  it("is the current link, or 404 when the room is not shared", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "Read it");
    expectNotFound(await request("GET", `/room/${room.id}/share/`, { token: alice.token }));
    const link = await share(alice, room.id);
    const res = await request("GET", `/room/${room.id}/share`, { token: alice.token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual(link);
  });
});

describe("another user's room", () => {
  it("is a 404 for GET, POST and DELETE, and the owner's link keeps working", async () => {
    const alice = await newClient("alice");
    const mallory = await newClient("mallory");
    const room = await createRoom(alice, "Alice's");
    const link = await share(alice, room.id);
    for (const method of ["GET", "POST", "DELETE"]) {
      expectNotFound(await request(method, `/room/${room.id}/share/`, { token: mallory.token }));
    }
    expect((await visit(link.url)).status).toBe(200);
    expect((await request("GET", `/room/${room.id}/share/`, { token: alice.token })).json).toEqual(link);
  });

  it("and ids that are no room at all are 404s", async () => {
    const alice = await newClient("alice");
    for (const id of ["999999999", "0", "abc", "1.5", "99999999999999999"]) {
      for (const method of ["GET", "POST", "DELETE"]) {
        expectNotFound(await request(method, `/room/${id}/share/`, { token: alice.token }));
      }
    }
  });
});

describe("GET /s/<token>", () => {
  it("shows the room to a visitor with no session: title, messages, noindex, previews", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "Trip to Jeju");
    const exchange = await say(alice, room.id, "Plan a 3-day trip to Jeju please");
    const link = await share(alice, room.id);

    const page = await visit(link.url);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("x-robots-tag")).toBe("noindex, nofollow");
    expect(page.headers.get("cache-control")).toMatch(/no-store/);
    expect(page.html).toContain("Trip to Jeju");
    expect(page.html).toContain("Plan a 3-day trip to Jeju please");
    expect(page.html).toContain(exchange.bot.message.replace(/^Echo: /, ""));
    expect(page.html).toContain("Shared conversation");
    expect(meta(page.html, "name", "robots")).toBe("noindex, nofollow");
    expect(meta(page.html, "property", "og:title")).toBe("Trip to Jeju");
    expect(meta(page.html, "property", "og:type")).toBe("article");
    expect(meta(page.html, "property", "og:description")).toBe("Plan a 3-day trip to Jeju please");
    expect(meta(page.html, "property", "og:url")).toBe(`${baseUrl()}${link.url}`);
    expect(meta(page.html, "name", "twitter:title")).toBe("Trip to Jeju");
    expect(page.html).toMatch(/<title>Trip to Jeju · AInfo Chat<\/title>/);
  });

  it("is the room as it was when shared: later messages and renames do not appear", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "Before");
    await say(alice, room.id, "first question");
    const link = await share(alice, room.id);

    await say(alice, room.id, "a later secret");
    const renamed = await request("PATCH", `/room/${room.id}/`, { token: alice.token, body: { title: "After" } });
    expect(renamed.status).toBe(200);
    // Sharing again keeps the first snapshot too.
    expect((await share(alice, room.id)).url).toBe(link.url);

    const page = await visit(link.url);
    expect(page.status).toBe(200);
    expect(page.html).toContain("first question");
    expect(page.html).not.toContain("a later secret");
    expect(meta(page.html, "property", "og:title")).toBe("Before");
    expect(page.html).not.toContain("After");
  });

  it("renders Markdown, and no HTML or javascript: link from a message", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "Hostile");
    const hostile = '**bold** <script>alert("pwned")</script> <img src=x onerror=alert(2)> [click me](javascript:alert(1)) <a href="javascript:alert(3)">x</a>';
    await say(alice, room.id, hostile);
    const link = await share(alice, room.id);

    const page = await visit(link.url);
    expect(page.status).toBe(200);
    expect(page.html).toContain("<strong>bold</strong>"); // the bot's echo, as Markdown
    expect(page.html).toContain("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;"); // the user's words, as text
    // Every script on the page is the framework's own, carrying this response's CSP nonce.
    const scripts = page.html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((tag) => !/\bnonce="[^"]+"/.test(tag))).toEqual([]);
    expect(page.html).not.toMatch(/<img\b/i);
    expect(page.html).not.toMatch(/href="\s*javascript:/i);
    expect(page.html).not.toMatch(/<a\b[^>]*>x<\/a>/);
  });

  it("shows the stored default title in the visitor's language", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice);
    const link = await share(alice, room.id);
    const page = await visit(link.url);
    expect(meta(page.html, "property", "og:title")).toBe("New chat");
    const korean = await (await fetch(`${baseUrl()}${link.url}`, { headers: { "accept-language": "ko" } })).text();
    expect(meta(korean, "property", "og:title")).toBe("새 채팅");
  });

  // Reading the stored row needs the Postgres server (PGlite lives inside the app's process);
  // CI runs both configurations (docs/testing.md#embedded-and-real-services).
  it.runIf(process.env.DATABASE_URL)("stores only the title and each message's role, text and time", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "Columns");
    await say(alice, room.id, "what is stored");
    await share(alice, room.id);
    const rows = await sql!`select snapshot from room_shares where room_id = ${room.id}`;
    const snapshot = rows[0]!.snapshot as { title: string; logs: Record<string, unknown>[] };
    expect(snapshot.title).toBe("Columns");
    expect(snapshot.logs.map((log) => Object.keys(log).sort())).toEqual([
      ["message", "role", "timestamp"],
      ["message", "role", "timestamp"],
    ]);
    expect(snapshot.logs.map((log) => log.role)).toEqual(["user", "bot"]);
    for (const log of snapshot.logs) expect(log.timestamp).toMatch(ISO_UTC);
  });

  it("is a 404 for an unknown token, and for anything that cannot be a token, never a 500", async () => {
    const unknown = await visit("/s/AAAAAAAAAAAAAAAAAAAAAA");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("x-robots-tag")).toBe("noindex, nofollow");
    for (const token of ["short", "A".repeat(23), "A".repeat(2000), "%00%00", "..%2F..%2Fetc", "%E0%A4%A", "토큰토큰토큰토큰토큰토큰토큰토큰토큰토큰토큰", "AAAAAAAAAAAAAAAAAAAA%2B%2F", "'%20or%201=1--"]) {
      const res = await visit(`/s/${token}`);
      expect(res.status, token).toBe(404);
    }
  });
});

describe("DELETE /room/{id}/share/", () => {
  it("kills the link at once; a repeat is a 204 too; sharing again makes a new link", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "Revoke me");
    const link = await share(alice, room.id);
    expect((await visit(link.url)).status).toBe(200);

    const res = await request("DELETE", `/room/${room.id}/share/`, { token: alice.token });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    const gone = await visit(link.url);
    expect(gone.status).toBe(404);
    expect(gone.html).not.toContain("Revoke me");
    expectNotFound(await request("GET", `/room/${room.id}/share/`, { token: alice.token }));
    expect((await request("DELETE", `/room/${room.id}/share`, { token: alice.token })).status).toBe(204);

    const again = await request("POST", `/room/${room.id}/share/`, { token: alice.token });
    expect(again.status).toBe(201);
    expect(again.json.url).not.toBe(link.url);
    expect((await visit(again.json.url)).status).toBe(200);
    expect((await visit(link.url)).status).toBe(404);
  });

  it("deleting the room kills its link", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "Short-lived");
    const link = await share(alice, room.id);
    expect((await request("DELETE", `/room/${room.id}/`, { token: alice.token })).status).toBe(204);
    expect((await visit(link.url)).status).toBe(404);
  });
});

describe("the OpenAPI document", () => {
  it("documents the share endpoints", async () => {
    const doc = await (await fetch(`${baseUrl()}/api/openapi.json`)).json();
    const path = doc.paths["/room/{id}/share/"];
    expect(Object.keys(path).sort()).toEqual(["delete", "get", "parameters", "post"]);
    expect(path.post.responses["201"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Share" });
    expect(Object.keys(doc.components.schemas.Share.properties).sort()).toEqual(["created_at", "url"]);
  });
});
