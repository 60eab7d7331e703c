import http from "node:http";
import { describe, expect, it } from "vitest";
import { api, baseUrl, createRoom, newClient, request, type Client } from "../support/api";

/** docs/api.md errors (DRF's shapes) and docs/security.md CSRF on cookie-authenticated writes. */

type Res = { status: number; headers: Headers | http.IncomingHttpHeaders; text: string };

const header = (res: Res, name: string) =>
  res.headers instanceof Headers ? res.headers.get(name) : ((res.headers[name] as string | undefined) ?? null);

/** Every error is JSON, with a JSON content type, in one of DRF's two shapes. */
function expectJsonError(res: Res, status: number) {
  expect(res.status, res.text).toBe(status);
  expect(header(res, "content-type")).toMatch(/^application\/json/);
  const body = JSON.parse(res.text);
  expect(body).toBeTypeOf("object");
  expect(body).not.toBeNull();
  expect(Array.isArray(body)).toBe(false);
  if ("detail" in body) expect(typeof body.detail).toBe("string");
  else for (const messages of Object.values(body)) expect(messages).toEqual(expect.arrayContaining([expect.any(String)]));
  return body;
}

/** A request with full control of the bytes and headers (no Content-Length unless given). */
function raw(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; chunks?: (string | Buffer)[]; endBody?: boolean } = {},
): Promise<Res & { headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    // A fresh connection each time: a connection the server gave up reading is not reused.
    const req = http.request(api(path), { method, headers: options.headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
        req.destroy();
      });
    });
    req.on("error", reject);
    for (const chunk of options.chunks ?? []) req.write(chunk);
    if (options.endBody !== false) req.end();
  });
}

describe("405 Method not allowed", () => {
  const cases: [string, string, string[]][] = [
    ["DELETE", "/room/", ["GET", "POST"]],
    ["PUT", "/room/", ["GET", "POST"]],
    ["PATCH", "/room", ["GET", "POST"]],
    ["POST", "/room/{id}/", ["GET", "PATCH", "PUT", "DELETE"]],
    ["POST", "/room/{id}/logs/", ["GET"]],
    ["DELETE", "/room/{id}/logs", ["GET"]],
    ["GET", "/auth/register/", ["POST"]],
    ["GET", "/auth/token/", ["POST"]],
    ["POST", "/auth/tokens/", ["GET"]],
    ["GET", "/auth/tokens/1/", ["DELETE"]],
  ];

  it.each(cases)("%s %s → 405 with Allow", async (method, template, allowed) => {
    const client = await newClient("m405");
    const room = await createRoom(client, "405");
    const path = template.replace("{id}", String(room.id));
    const res = await request(method, path, { token: client.token, body: method === "GET" || method === "DELETE" ? undefined : {} });
    const body = expectJsonError(res, 405);
    expect(body).toEqual({ detail: `Method "${method}" not allowed.` });
    const allow = (res.headers.get("allow") ?? "").split(/\s*,\s*/);
    for (const m of allowed) expect(allow).toContain(m);
    expect(allow).not.toContain(method);
    // Nothing happened to the room.
    const after = await request("GET", `/room/${room.id}/`, { token: client.token });
    expect(after.status).toBe(200);
  });

  it("OPTIONS lists the methods; HEAD works where GET does", async () => {
    const client = await newClient("opt");
    const options = await request("OPTIONS", "/room/", { token: client.token });
    expect(options.status).toBeLessThan(300);
    const allow = (options.headers.get("allow") ?? "").split(/\s*,\s*/);
    expect(allow).toEqual(expect.arrayContaining(["GET", "POST"]));
    const head = await fetch(api("/room/"), { method: "HEAD", headers: client.headers });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });
});

describe("413 body too large", () => {
  const big = JSON.stringify({ title: "x", pad: "p".repeat(70 * 1024) });

  it("with a truthful Content-Length", async () => {
    const client = await newClient("big");
    const res = await request("POST", "/room/", { token: client.token, body: big });
    expectJsonError(res, 413);
    expect(await (await request("GET", "/room/", { token: client.token })).json).toEqual([]);
  });

  it("with no Content-Length (chunked), cut off while reading", async () => {
    const client = await newClient("chunked");
    const chunks = Array.from({ length: 20 }, () => `${" ".repeat(8 * 1024)}`);
    const res = await raw("POST", "/room/", {
      headers: { ...client.headers, "content-type": "application/json" },
      chunks: ["{", ...chunks, '"title": "x"}'],
    });
    expect(res.headers["content-length"] === undefined || Number(res.headers["content-length"]) > 0).toBe(true);
    expectJsonError(res, 413);
    expect(await (await request("GET", "/room/", { token: client.token })).json).toEqual([]);
  });

  it("a declared Content-Length over the limit is refused without waiting for the body", async () => {
    const client = await newClient("declared");
    const started = Date.now();
    const res = await raw("POST", "/room/", {
      headers: { ...client.headers, "content-type": "application/json", "content-length": String(1024 * 1024) },
      chunks: ['{"title": "x"'],
      endBody: false,
    });
    expectJsonError(res, 413);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("exactly 64 KiB is accepted; one byte more is not", async () => {
    const client = await newClient("edge");
    const make = (size: number) => {
      const skeleton = JSON.stringify({ title: "edge", pad: "" });
      return JSON.stringify({ title: "edge", pad: "p".repeat(size - Buffer.byteLength(skeleton)) });
    };
    expect(Buffer.byteLength(make(64 * 1024))).toBe(64 * 1024);
    const ok = await request("POST", "/room/", { token: client.token, body: make(64 * 1024) });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json.title).toBe("edge");
    expectJsonError(await request("POST", "/room/", { token: client.token, body: make(64 * 1024 + 1) }), 413);
  });

  it("applies to PATCH and to the auth endpoints too", async () => {
    const client = await newClient("big2");
    const room = await createRoom(client, "small");
    expectJsonError(await request("PATCH", `/room/${room.id}/`, { token: client.token, body: big }), 413);
    expectJsonError(await request("POST", "/auth/register/", { body: big }), 413);
    expectJsonError(await request("POST", "/auth/token/", { body: big }), 413);
  });
});

describe("415 unsupported media type", () => {
  it("a text/plain, form or absent content type is refused", async () => {
    const client = await newClient("media");
    for (const contentType of ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const res = await request("POST", "/room/", {
        token: client.token,
        body: '{"title": "x"}',
        headers: { "content-type": contentType },
      });
      expectJsonError(res, 415);
    }
    const none = await raw("POST", "/room/", { headers: client.headers, chunks: ['{"title": "x"}'] });
    expectJsonError(none, 415);
    const room = await createRoom(client, "keep");
    const patch = await request("PATCH", `/room/${room.id}/`, {
      token: client.token,
      body: '{"title": "changed"}',
      headers: { "content-type": "text/plain" },
    });
    expectJsonError(patch, 415);
    expect((await request("GET", `/room/${room.id}/`, { token: client.token })).json.title).toBe("keep");
    expect((await request("GET", "/room/", { token: client.token })).json).toHaveLength(1);
  });

  it("JSON with parameters, in any case, is accepted", async () => {
    const client = await newClient("media");
    for (const contentType of ["application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json"]) {
      const res = await request("POST", "/room/", { token: client.token, body: { title: contentType }, headers: { "content-type": contentType } });
      expect(res.status, contentType).toBe(201);
    }
  });
});

describe("400 malformed bodies", () => {
  it("malformed JSON is a JSON parse error", async () => {
    const client = await newClient("json");
    for (const body of ['{"title":', "{'title': 'x'}", '{"title": "x",}', "{title: x}", "\u00ff"]) {
      const res = await request("POST", "/room/", { token: client.token, body });
      const json = expectJsonError(res, 400);
      expect(Object.keys(json)).toEqual(["detail"]);
      expect(json.detail.startsWith("JSON parse error - ")).toBe(true);
    }
  });

  it("bytes that are not UTF-8 are a 400", async () => {
    const client = await newClient("utf8");
    const res = await raw("POST", "/room/", {
      headers: { ...client.headers, "content-type": "application/json" },
      chunks: [Buffer.from([0x7b, 0x22, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
    });
    expectJsonError(res, 400);
  });

  it("a JSON array, string, number, boolean or null body is a 400", async () => {
    const client = await newClient("shape");
    for (const body of ['[{"title": "x"}]', '"title"', "42", "true", "null"]) {
      const res = await request("POST", "/room/", { token: client.token, body });
      expectJsonError(res, 400);
    }
    const room = await createRoom(client, "r");
    expectJsonError(await request("PATCH", `/room/${room.id}/`, { token: client.token, body: "[]" }), 400);
    expectJsonError(await request("POST", "/auth/register/", { body: '["a"]' }), 400);
    expect((await request("GET", "/room/", { token: client.token })).json).toHaveLength(1);
  });

  it("a NUL byte in a title is a 400, not a 500", async () => {
    const client = await newClient("nul");
    const res = await request("POST", "/room/", { token: client.token, body: { title: "a\u0000b" } });
    expect(expectJsonError(res, 400)).toEqual({ title: [expect.any(String)] });
    const room = await createRoom(client, "clean");
    for (const method of ["PATCH", "PUT"]) {
      const patch = await request(method, `/room/${room.id}/`, { token: client.token, body: { title: "\u0000" } });
      expect(expectJsonError(patch, 400)).toEqual({ title: [expect.any(String)] });
    }
    expect((await request("GET", `/room/${room.id}/`, { token: client.token })).json.title).toBe("clean");
  });

  it("lone surrogates and deep nesting never give a 500", async () => {
    const client = await newClient("odd");
    const surrogate = await request("POST", "/room/", { token: client.token, body: '{"title": "a\\ud800b"}' });
    expect([201, 400]).toContain(surrogate.status);
    if (surrogate.status === 400) expectJsonError(surrogate, 400);
    const deepArray = await request("POST", "/room/", { token: client.token, body: `{"x": ${"[".repeat(20000)}${"]".repeat(20000)}}` });
    expect([201, 400]).toContain(deepArray.status);
    const deepObject = await request("POST", "/room/", { token: client.token, body: `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}` });
    expect([201, 400]).toContain(deepObject.status);
  });
});

describe("404 for unknown paths", () => {
  it.each(["/nope", "/nope/", "/room/1/nope/", "/room/abc/logs/extra", "/auth/", "/auth/nope/"])("%s is a JSON 404", async (path) => {
    const client = await newClient("p404");
    for (const method of ["GET", "POST", "DELETE"]) {
      const authed = await request(method, path, { token: client.token, body: method === "POST" ? {} : undefined });
      expect(expectJsonError(authed, 404)).toEqual({ detail: "Not found." });
    }
    const anonymous = await request("GET", path);
    expect([401, 404]).toContain(anonymous.status);
    expectJsonError(anonymous, anonymous.status);
  });
});

// --- CSRF: cookie-authenticated writes from another site (docs/security.md) ---

/** Signs in through next-auth's credentials provider and returns the session Cookie header. */
async function signIn(client: Client): Promise<string> {
  const csrfRes = await fetch(`${baseUrl()}/api/auth/csrf`);
  expect(csrfRes.status).toBe(200);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const eq = pair!.indexOf("=");
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  keep(csrfRes);
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await fetch(`${baseUrl()}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader() },
    body: new URLSearchParams({ email: client.email, password: client.password, csrfToken, json: "true", callbackUrl: baseUrl() }),
  });
  expect(res.status).toBeLessThan(400);
  keep(res);
  expect([...jar.keys()].some((name) => /next-auth\.session-token/.test(name)), `no session cookie: ${[...jar.keys()]}`).toBe(true);
  return cookieHeader();
}

describe("CSRF on cookie-authenticated writes", () => {
  it("the session cookie authenticates reads, from anywhere", async () => {
    const client = await newClient("cookie");
    const room = await createRoom(client, "cookie room");
    const cookie = await signIn(client);
    const res = await request("GET", "/room/", { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.json.map((r: any) => r.id)).toEqual([room.id]);
    const foreign = await request("GET", `/room/${room.id}/`, { headers: { cookie, origin: "https://evil.example" } });
    expect(foreign.status).toBe(200);
  });

  it("a same-origin cookie POST creates the room (201)", async () => {
    const client = await newClient("cookie");
    const cookie = await signIn(client);
    const res = await request("POST", "/room/", { headers: { cookie, origin: baseUrl(), "sec-fetch-site": "same-origin" }, body: { title: "same origin" } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.user).toBe(client.userId);
    const noFetchMetadata = await request("POST", "/room/", { headers: { cookie, origin: baseUrl() }, body: { title: "same origin 2" } });
    expect(noFetchMetadata.status).toBe(201);
  });

  it("a cross-site cookie POST, PATCH, PUT or DELETE is 403 and changes nothing", async () => {
    const client = await newClient("cookie");
    const room = await createRoom(client, "target");
    const cookie = await signIn(client);
    const attacks: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "cross-site" },
      { origin: "null" },
      { origin: baseUrl().replace("localhost", "127.0.0.1") },
    ];
    for (const headers of attacks) {
      const post = await request("POST", "/room/", { headers: { cookie, ...headers }, body: { title: "csrf" } });
      expect(expectJsonError(post, 403), JSON.stringify(headers)).toHaveProperty("detail");
      expectJsonError(await request("PATCH", `/room/${room.id}/`, { headers: { cookie, ...headers }, body: { title: "csrf" } }), 403);
      expectJsonError(await request("PUT", `/room/${room.id}/`, { headers: { cookie, ...headers }, body: { title: "csrf" } }), 403);
      expectJsonError(await request("DELETE", `/room/${room.id}/`, { headers: { cookie, ...headers } }), 403);
      expectJsonError(await request("DELETE", `/auth/tokens/1/`, { headers: { cookie, ...headers } }), 403);
    }
    const rooms = await request("GET", "/room/", { token: client.token });
    expect(rooms.json).toEqual([room]);
  });

  it("Bearer-token writes are not affected by Origin", async () => {
    const client = await newClient("bearer");
    const res = await request("POST", "/room/", {
      token: client.token,
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      body: { title: "from a script" },
    });
    expect(res.status).toBe(201);
  });

  it("a cookie that is not a valid session is no credential", async () => {
    const res = await request("POST", "/room/", {
      headers: { cookie: "next-auth.session-token=forged.jwt.value", origin: baseUrl() },
      body: { title: "x" },
    });
    expectJsonError(res, 401);
  });
});
