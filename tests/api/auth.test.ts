import crypto from "node:crypto";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { api, newClient, request, uniqueEmail } from "../support/api";

/** docs/api.md auth: accounts, personal API tokens, and how credentials are checked. */

const databaseUrl = inject("databaseUrl");
const sql = databaseUrl ? postgres(databaseUrl, { max: 2, onnotice: () => {} }) : undefined;
afterAll(async () => {
  await sql?.end({ timeout: 5 });
});

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const PASSWORD = "correct horse battery";
const sha256 = (value: string) => crypto.createHash("sha256").update(value).digest("hex");

function expectFieldErrors(res: { status: number; json: any }, fields: string[]) {
  expect(res.status, JSON.stringify(res.json)).toBe(400);
  expect(Object.keys(res.json).sort()).toEqual([...fields].sort());
  for (const field of fields) {
    expect(Array.isArray(res.json[field])).toBe(true);
    expect(res.json[field].length).toBeGreaterThan(0);
    for (const message of res.json[field]) expect(typeof message).toBe("string");
  }
}

async function register(body: unknown) {
  return request("POST", "/auth/register/", { body });
}

async function mint(body: unknown) {
  return request("POST", "/auth/token/", { body });
}

describe("POST /auth/register/", () => {
  it("creates an account: 201 {id, email, name}", async () => {
    const email = uniqueEmail("reg");
    const res = await register({ email, password: PASSWORD, name: "민지" });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(Object.keys(res.json).sort()).toEqual(["email", "id", "name"]);
    expect(res.json).toEqual({ id: expect.any(Number), email, name: "민지" });
    expect(res.json.id).toBeGreaterThan(0);
  });

  it("name is optional, and unknown fields (even id) are ignored", async () => {
    const email = uniqueEmail("reg");
    const res = await register({ email, password: PASSWORD, id: 1, is_admin: true });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ id: expect.any(Number), email, name: "" });
  });

  it("refuses an email that is taken, case-insensitively", async () => {
    const email = uniqueEmail("dup");
    expect((await register({ email, password: PASSWORD })).status).toBe(201);
    for (const again of [email, email.toUpperCase(), `  ${email.replace(/^./, (c) => c.toUpperCase())} `]) {
      const res = await register({ email: again, password: "another password" });
      expectFieldErrors(res, ["email"]);
    }
    // The first account keeps its password.
    expect((await mint({ email, password: PASSWORD })).status).toBe(201);
    expect((await mint({ email, password: "another password" })).status).toBe(400);
  });

  it("rejects a bad email with a field error", async () => {
    for (const email of ["not-an-email", "", "a@", "@example.com", "a b@example.com", 123, null, `${"x".repeat(250)}@example.com`]) {
      expectFieldErrors(await register({ email, password: PASSWORD }), ["email"]);
    }
  });

  it("rejects a short or oversized password with a field error", async () => {
    for (const password of ["", "short", "7chars!", 12345678, null, "p".repeat(257)]) {
      expectFieldErrors(await register({ email: uniqueEmail("pw"), password }), ["password"]);
    }
    expect((await register({ email: uniqueEmail("pw"), password: "8 chars!" })).status).toBe(201);
  });

  it("reports every missing field at once", async () => {
    const res = await register({});
    expectFieldErrors(res, ["email", "password"]);
    expect(res.json.email).toEqual(["This field is required."]);
    expect(res.json.password).toEqual(["This field is required."]);
  });

  it("rejects a name over 100 characters or with a NUL byte, never a 500", async () => {
    expectFieldErrors(await register({ email: uniqueEmail("n"), password: PASSWORD, name: "n".repeat(101) }), ["name"]);
    expectFieldErrors(await register({ email: uniqueEmail("n"), password: PASSWORD, name: "a\u0000b" }), ["name"]);
    expectFieldErrors(await register({ email: uniqueEmail("n"), password: PASSWORD, name: 5 }), ["name"]);
    expect((await register({ email: `nul\u0000${uniqueEmail("n")}`, password: PASSWORD })).status).toBe(400);
  });

  it.runIf(Boolean(sql))("stores a slow password hash, never the password", async () => {
    const email = uniqueEmail("hash");
    const res = await register({ email, password: PASSWORD });
    const [row] = await sql!`select password_hash from users where id = ${res.json.id}`;
    expect(row!.password_hash).toMatch(/^\$(argon2id|2[aby])\$/);
    expect(row!.password_hash).not.toContain(PASSWORD);
  });
});

describe("POST /auth/token/", () => {
  it("mints a token: 201 {id, name, token, created_at}", async () => {
    const email = uniqueEmail("tok");
    await register({ email, password: PASSWORD });
    const res = await mint({ email, password: PASSWORD, name: "my script" });
    expect(res.status).toBe(201);
    expect(Object.keys(res.json).sort()).toEqual(["created_at", "id", "name", "token"]);
    expect(res.json).toMatchObject({ id: expect.any(Number), name: "my script", token: expect.any(String) });
    expect(res.json.created_at).toMatch(ISO_UTC);
    expect(res.json.token.length).toBeGreaterThanOrEqual(32);
    expect(res.json.token).not.toMatch(/\s/);

    const rooms = await request("GET", "/room/", { token: res.json.token });
    expect(rooms.status).toBe(200);
  });

  it("gives a new token each time, and accepts the email in any case", async () => {
    const email = uniqueEmail("tok");
    await register({ email, password: PASSWORD });
    const a = await mint({ email, password: PASSWORD });
    const b = await mint({ email: `  ${email.toUpperCase()}  `, password: PASSWORD });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.json.name).toBe("");
    expect(a.json.token).not.toBe(b.json.token);
    expect(a.json.id).not.toBe(b.json.id);
  });

  it("refuses a wrong password or an unknown email with the same non_field_errors", async () => {
    const email = uniqueEmail("tok");
    await register({ email, password: PASSWORD });
    const wrong = await mint({ email, password: "wrong password" });
    expect(wrong.status).toBe(400);
    expect(wrong.json).toEqual({ non_field_errors: [expect.any(String)] });
    const unknown = await mint({ email: uniqueEmail("nobody"), password: PASSWORD });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual(wrong.json);
  });

  it("validates its fields", async () => {
    expectFieldErrors(await mint({}), ["email", "password"]);
    expectFieldErrors(await mint({ email: "nope", password: PASSWORD }), ["email"]);
    expectFieldErrors(await mint({ email: uniqueEmail("x"), password: PASSWORD, name: "n".repeat(101) }), ["name"]);
  });

  it.runIf(Boolean(sql))("stores only the token's SHA-256 hex hash", async () => {
    const client = await newClient("hash");
    const res = await mint({ email: client.email, password: client.password, name: "hashed" });
    const rows = await sql!`select t.*, row_to_json(t)::text as everything from api_tokens t where user_id = ${client.userId} order by id`;
    expect(rows).toHaveLength(2);
    const row = rows.find((r) => Number(r.id) === res.json.id)!;
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.token_hash).toBe(sha256(res.json.token));
    expect(row.name).toBe("hashed");
    for (const r of rows) {
      expect(r.everything).not.toContain(res.json.token);
      expect(r.everything).not.toContain(client.token);
    }
    expect(rows.map((r) => r.token_hash).sort()).toEqual([sha256(client.token), sha256(res.json.token)].sort());
  });
});

describe("GET /auth/tokens/ and DELETE /auth/tokens/{id}/", () => {
  it("lists the caller's tokens without any secret", async () => {
    const client = await newClient("list");
    const other = await newClient("other");
    const second = await mint({ email: client.email, password: client.password, name: "second" });
    const res = await request("GET", "/auth/tokens/", { token: client.token });
    expect(res.status).toBe(200);
    expect(res.json).toHaveLength(2);
    for (const token of res.json) {
      expect(Object.keys(token).sort()).toEqual(["created_at", "id", "last_used_at", "name"]);
      expect(token.created_at).toMatch(ISO_UTC);
    }
    expect(res.json.map((t: any) => t.name).sort()).toEqual(["second", "tests"]);
    for (const secret of [client.token, second.json.token, other.token]) {
      expect(res.text).not.toContain(secret);
      expect(res.text).not.toContain(sha256(secret));
    }
    // The token just used has a last_used_at; the unused one has none.
    const used = res.json.find((t: any) => t.name === "tests");
    const unused = res.json.find((t: any) => t.name === "second");
    expect(used.last_used_at).toMatch(ISO_UTC);
    expect(unused.last_used_at).toBeNull();
  });

  it("revokes: 204, then the token is an invalid token; the others keep working", async () => {
    const client = await newClient("revoke");
    const spare = await mint({ email: client.email, password: client.password, name: "spare" });
    const res = await fetch(api(`/auth/tokens/${spare.json.id}/`), { method: "DELETE", headers: client.headers });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");

    const rejected = await request("GET", "/room/", { token: spare.json.token });
    expect(rejected.status).toBe(401);
    expect(rejected.json).toEqual({ detail: "Invalid token." });
    expect(rejected.headers.get("www-authenticate")).toMatch(/^Bearer/);

    expect((await request("GET", "/room/", { token: client.token })).status).toBe(200);
    const list = await request("GET", "/auth/tokens/", { token: client.token });
    expect(list.json.map((t: any) => t.id)).not.toContain(spare.json.id);
    const again = await request("DELETE", `/auth/tokens/${spare.json.id}/`, { token: client.token });
    expect(again.status).toBe(404);
  });

  it("a token can revoke itself", async () => {
    const client = await newClient("self");
    const [mine] = (await request("GET", "/auth/tokens/", { token: client.token })).json;
    expect((await request("DELETE", `/auth/tokens/${mine.id}`, { token: client.token })).status).toBe(204);
    expect((await request("GET", "/auth/tokens/", { token: client.token })).status).toBe(401);
  });

  it("someone else's token is a 404 and keeps working", async () => {
    const alice = await newClient("alice");
    const bob = await newClient("bob");
    const [bobsToken] = (await request("GET", "/auth/tokens/", { token: bob.token })).json;
    const res = await request("DELETE", `/auth/tokens/${bobsToken.id}/`, { token: alice.token });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ detail: "Not found." });
    expect((await request("GET", "/room/", { token: bob.token })).status).toBe(200);
    for (const id of ["0", "-1", "abc", "99999999999999999999"]) {
      expect((await request("DELETE", `/auth/tokens/${id}/`, { token: alice.token })).status).toBe(404);
    }
  });

  it("needs credentials", async () => {
    const res = await request("GET", "/auth/tokens/");
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ detail: "Authentication credentials were not provided." });
  });
});

describe("credentials on the API", () => {
  const protectedEndpoints: [string, string][] = [
    ["GET", "/room/"],
    ["GET", "/room"],
    ["POST", "/room/"],
    ["GET", "/room/1/"],
    ["PATCH", "/room/1/"],
    ["PUT", "/room/1/"],
    ["DELETE", "/room/1/"],
    ["GET", "/room/1/logs/"],
    ["GET", "/auth/tokens/"],
    ["DELETE", "/auth/tokens/1/"],
  ];

  it.each(protectedEndpoints)("%s %s without credentials is 401 with WWW-Authenticate: Bearer", async (method, path) => {
    const res = await request(method, path, method === "GET" || method === "DELETE" ? {} : { body: { title: "x" } });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ detail: "Authentication credentials were not provided." });
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("a garbage or unknown token is 401 Invalid token.", async () => {
    const client = await newClient("garbage");
    const forged = client.token.slice(0, -4) + (client.token.endsWith("AAAA") ? "BBBB" : "AAAA");
    for (const token of ["nope", "ainfo_doesnotexist", forged, "x".repeat(1000)]) {
      const res = await request("GET", "/room/", { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, token).toBe(401);
      expect(res.json).toEqual({ detail: "Invalid token." });
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
    }
  });

  it("a malformed Bearer header is 401, never a 500", async () => {
    for (const header of ["Bearer", "Bearer ", "Bearer a b", "Token", "Bearer \u00e9\u00e9"]) {
      const res = await fetch(api("/room/"), { headers: { authorization: header } }).catch(() => undefined);
      if (!res) continue; // the client itself refused the header
      expect(res.status, header).toBe(401);
      expect(typeof (await res.json()).detail).toBe("string");
    }
  });

  it("accepts DRF's `Token <t>` and any case of the scheme", async () => {
    const client = await newClient("scheme");
    for (const header of [`Token ${client.token}`, `token ${client.token}`, `bearer ${client.token}`, `BEARER ${client.token}`, `Bearer   ${client.token}  `]) {
      const res = await request("GET", "/room/", { headers: { authorization: header } });
      expect(res.status, header).toBe(200);
    }
    const created = await request("POST", "/room/", { headers: { authorization: `Token ${client.token}` }, body: { title: "via Token" } });
    expect(created.status).toBe(201);
    expect(created.json.user).toBe(client.userId);
  });

  it("other schemes are not credentials", async () => {
    const res = await request("GET", "/room/", { headers: { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` } });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ detail: "Authentication credentials were not provided." });
  });
});
