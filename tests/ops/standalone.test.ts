import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSse } from "../support/api";
import { remote, type Remote } from "../support/remote";
import { ROOT, startStack, type Stack } from "../support/stack";

// The Docker image's server (README "Deploy"): `node server.js` from `.next/standalone`,
// copied with its static files to a directory outside the repository as the Dockerfile
// does, so a package or file missing from the standalone output fails here, not in a
// container. A smoke run of the whole path: sign up, sign in, a room, a reply.

let stack: Stack;
let app: Remote;

beforeAll(async () => {
  stack = await startStack({ server: "standalone" });
  app = remote(stack.baseUrl);
});
afterAll(async () => {
  await stack?.stop();
});

describe("the standalone server", () => {
  it("ships what is read from disk at run time: migrations, PGlite's WebAssembly, argon2's binary", () => {
    const standalone = path.join(ROOT, ".next", "standalone");
    expect(fs.existsSync(path.join(standalone, "db", "migrations", "meta", "_journal.json"))).toBe(true);
    const migrations = fs.readdirSync(path.join(ROOT, "db", "migrations")).filter((f) => f.endsWith(".sql"));
    expect(fs.readdirSync(path.join(standalone, "db", "migrations")).filter((f) => f.endsWith(".sql"))).toEqual(migrations);
    const pglite = path.join(standalone, "node_modules", "@electric-sql", "pglite", "dist");
    expect(fs.readdirSync(pglite).some((f) => f.endsWith(".wasm"))).toBe(true);
    expect(fs.existsSync(path.join(pglite, "pg_trgm.tar.gz"))).toBe(true);
    const argon2 = fs.readdirSync(path.join(standalone, "node_modules", "@node-rs")).filter((d) => d.startsWith("argon2-"));
    expect(argon2.length).toBeGreaterThan(0);
  });

  it("serves pages with their scripts and styles", async () => {
    const page = await fetch(`${stack.baseUrl}/sign-in`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...new Set([...html.matchAll(/\/_next\/static\/[^"'\s)]+\.(?:js|css)/g)].map((m) => m[0]))];
    expect(assets.some((a) => a.endsWith(".js"))).toBe(true);
    expect(assets.some((a) => a.endsWith(".css"))).toBe(true);
    for (const asset of assets) {
      expect({ asset, status: (await fetch(`${stack.baseUrl}${asset}`)).status }).toEqual({ asset, status: 200 });
    }
  });

  it("signs up, signs in, creates a room and streams the model's reply", async () => {
    const client = await app.newClient("standalone");
    const { status, cookie } = await app.signIn(client);
    expect(status).toBeLessThan(400);
    expect(cookie).toBeTruthy();
    const headers = { cookie: cookie!, "content-type": "application/json" };

    const created = await fetch(app.url("/room/"), { method: "POST", headers, body: JSON.stringify({ title: "smoke" }) });
    expect(created.status).toBe(201);
    const room = (await created.json()) as { id: number };

    const reply = await fetch(app.url(`/room/${room.id}/messages/`), {
      method: "POST",
      headers: { ...headers, accept: "text/event-stream" },
      body: JSON.stringify({ message: "hello from the image" }),
    });
    expect(reply.status).toBe(200);
    const events = parseSse(await reply.text());
    expect(events[0]?.event).toBe("user");
    expect(events.filter((e) => e.event === "delta").length).toBeGreaterThan(0);
    const done = events.find((e) => e.event === "done");
    expect(done?.data.message).toBe("Echo: hello from the image [context: 1 messages]");

    // The room's page, server-rendered for the signed-in browser, shows the exchange.
    const pageRes = await fetch(`${stack.baseUrl}/chat/${room.id}`, { headers: { cookie: cookie! } });
    expect(pageRes.status).toBe(200);
    expect(await pageRes.text()).toContain("Echo: hello from the image");
  });
});
