import postgres from "postgres";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { baseUrl, createRoom, hasRedis, newClient, request, sendMessage, type Client } from "../support/api";
import { remote } from "../support/remote";

// docs/security.md: deleting an account, or revoking its sessions, ends every session and token at
// once: each request looks the user up (no cache), and next-auth's own session endpoint
// checks too.

const databaseUrl = inject("databaseUrl");
let sql: postgres.Sql | undefined;
let redis: ReturnType<typeof createClient> | undefined;

beforeAll(async () => {
  if (databaseUrl) sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  if (hasRedis()) {
    redis = createClient({ url: inject("redisUrl") });
    await redis.connect();
  }
});
afterAll(async () => {
  await sql?.end();
  redis?.destroy();
});

/** A user with a token and a signed-in browser session, both checked to work. */
async function signedInUser(tag: string) {
  const client = await newClient(tag);
  const { cookie } = await remote(baseUrl()).signIn(client);
  expect(cookie).toBeDefined();
  expect((await request("GET", "/room/", { token: client.token })).status).toBe(200);
  expect((await request("GET", "/room/", { headers: { cookie: cookie! } })).status).toBe(200);
  return { client, cookie: cookie! };
}

async function expectLockedOut(client: Client, cookie: string) {
  const byToken = await request("GET", "/room/", { token: client.token });
  expect(byToken.status).toBe(401);
  expect(byToken.json).toEqual({ detail: "Invalid token." });
  const byCookie = await request("GET", "/room/", { headers: { cookie } });
  expect(byCookie.status).toBe(401);
  expect(byCookie.json).toEqual({ detail: "Authentication credentials were not provided." });
  // next-auth's session endpoint no longer vouches for it either, and clears the cookie.
  const session = await fetch(`${baseUrl()}/api/auth/session`, { headers: { cookie } });
  expect(await session.json()).toEqual({});
  expect(session.headers.getSetCookie().join("\n")).toMatch(/next-auth\.session-token=;/);
}

describe("DELETE /auth/me/", () => {
  it("GET shows the caller; DELETE asks for the password", async () => {
    const { client } = await signedInUser("me");
    const me = await request("GET", "/auth/me/", { token: client.token });
    expect(me.json).toEqual({ id: client.userId, email: client.email, name: "me" });
    const missing = await request("DELETE", "/auth/me/", { token: client.token });
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ password: [expect.any(String)] });
    const wrong = await request("DELETE", "/auth/me/", { token: client.token, body: { password: "not the password" } });
    expect(wrong.status).toBe(400);
    expect(wrong.json).toEqual({ password: ["The password is not correct."] });
    expect((await request("GET", "/auth/me/", { token: client.token })).status).toBe(200);
  });

  it("deletes the account: its token and session stop working at once, its rooms, logs and histories are gone", async () => {
    const { client, cookie } = await signedInUser("leaving");
    const room = await createRoom(client, "private");
    expect((await sendMessage(client, room.id, "remember me")).status).toBe(201);
    const key = `${inject("keyPrefix")}${room.id}`;
    if (redis) expect(await redis.exists(key)).toBe(1);

    const res = await request("DELETE", "/auth/me/", { token: client.token, body: { password: client.password } });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");

    await expectLockedOut(client, cookie);
    // The account cannot sign in again, nor mint a token.
    const token = await request("POST", "/auth/token/", { body: { email: client.email, password: client.password } });
    expect(token.status).toBe(400);
    if (redis) expect(await redis.exists(key)).toBe(0);
    if (sql) {
      expect(await sql`select 1 from chat_rooms where id = ${room.id}`).toHaveLength(0);
      expect(await sql`select 1 from chat_logs where chatroom_id = ${room.id}`).toHaveLength(0);
      expect(await sql`select 1 from api_tokens where user_id = ${client.userId}`).toHaveLength(0);
      expect(await sql`select 1 from history_purges where room_id = ${room.id}`).toHaveLength(0);
    }
    // The email is free again.
    const again = await request("POST", "/auth/register/", { body: { email: client.email, password: "another password" } });
    expect(again.status).toBe(201);
  });

  it("works from a same-origin browser session, and is refused (403) cross-site", async () => {
    const { client, cookie } = await signedInUser("browser");
    const forged = await request("DELETE", "/auth/me/", {
      headers: { cookie, origin: "https://evil.example" },
      body: { password: client.password },
    });
    expect(forged.status).toBe(403);
    const res = await request("DELETE", "/auth/me/", {
      headers: { cookie, origin: baseUrl() },
      body: { password: client.password },
    });
    expect(res.status).toBe(204);
    await expectLockedOut(client, cookie);
  });
});

describe.runIf(databaseUrl)("changes made directly in the database take effect at once", () => {
  it("a deleted user row: token and session are refused on the next request", async () => {
    const { client, cookie } = await signedInUser("row");
    await sql!`delete from users where id = ${client.userId}`;
    await expectLockedOut(client, cookie);
  });

  it("a bumped session version (sign out everywhere): the session is refused; signing in again works", async () => {
    const { client, cookie } = await signedInUser("bump");
    await sql!`update users set session_version = session_version + 1 where id = ${client.userId}`;
    const byCookie = await request("GET", "/room/", { headers: { cookie } });
    expect(byCookie.status).toBe(401);
    const session = await fetch(`${baseUrl()}/api/auth/session`, { headers: { cookie } });
    expect(await session.json()).toEqual({});
    // A fresh sign-in gets a session with the new version.
    const { cookie: fresh } = await remote(baseUrl()).signIn(client);
    expect((await request("GET", "/room/", { headers: { cookie: fresh! } })).status).toBe(200);
  });

  it("a deleted token: refused on the next request, the session unaffected", async () => {
    const { client, cookie } = await signedInUser("revoked");
    await sql!`delete from api_tokens where user_id = ${client.userId}`;
    expect((await request("GET", "/room/", { token: client.token })).status).toBe(401);
    expect((await request("GET", "/room/", { headers: { cookie } })).status).toBe(200);
  });
});

