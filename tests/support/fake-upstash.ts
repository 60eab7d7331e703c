import http from "node:http";
import type { AddressInfo } from "node:net";
import { createClient } from "redis";

/**
 * Upstash's REST protocol served over the real local Redis, so the `@upstash/redis`
 * backend is tested against a real store: `POST /` runs one command, `/pipeline` and
 * `/multi-exec` run a list (the latter in MULTI). Checks the bearer token and honours
 * `Upstash-Encoding: base64`.
 */
export type FakeUpstash = { url: string; token: string; close: () => Promise<void> };

type Command = (string | number)[];

export async function startFakeUpstash(redisUrl: string, token = "test-upstash-token"): Promise<FakeUpstash> {
  const redis = createClient({ url: redisUrl });
  await redis.connect();

  const encode = (value: unknown, base64: boolean): unknown => {
    if (!base64) return value;
    if (typeof value === "string") return Buffer.from(value).toString("base64");
    if (Array.isArray(value)) return value.map((v) => encode(v, base64));
    return value;
  };
  const run = async (command: Command) => {
    try {
      return { result: await redis.sendCommand(command.map(String)) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };

  const server = http.createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { error: "Unauthorized" });
    const base64 = req.headers["upstash-encoding"] === "base64";
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return send(400, { error: "ERR failed to parse body" });
    }
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/pipeline" || path === "/multi-exec") {
      const commands = body as Command[];
      let results: { result?: unknown; error?: string }[];
      if (path === "/multi-exec") {
        const multi = redis.multi();
        for (const command of commands) multi.addCommand(command.map(String));
        try {
          results = (await multi.exec()).map((result) => ({ result }));
        } catch (error) {
          return send(400, { error: (error as Error).message });
        }
      } else {
        results = [];
        for (const command of commands) results.push(await run(command));
      }
      return send(200, results.map((r) => ("error" in r && r.error ? r : { result: encode(r.result, base64) })));
    }
    const result = await run(body as Command);
    if ("error" in result) return send(400, result);
    return send(200, { result: encode(result.result, base64) });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      redis.destroy();
    },
  };
}
