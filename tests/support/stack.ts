import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { startFakeLlm } from "./fake-llm";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy";

/**
 * The app as it runs in production, for the integration and e2e suites: a fresh database
 * (on the real Postgres when DATABASE_URL is set, else embedded PGlite in a temp dir), the
 * real Redis behind a cuttable proxy when REDIS_URL is set, the fake model, and
 * `next start` on the production build. Everything is created here and removed in `stop`.
 */
export type Stack = {
  baseUrl: string;
  databaseUrl?: string;
  redisUrl?: string;
  redisControlUrl?: string;
  keyPrefix: string;
  llmUrl: string;
  stop: () => Promise<void>;
};

export const ROOT = path.resolve(__dirname, "../..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Creates a database of its own on the server of `baseUrl`; returns its URL and a dropper. */
export async function createTestDatabase(baseUrl: string) {
  const name = `ainfo_test_${process.pid}_${crypto.randomBytes(4).toString("hex")}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const sql = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await sql.end();
    },
  };
}

export async function startStack(options: { port?: number; env?: Record<string, string> } = {}): Promise<Stack> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => console.warn("[stack] cleanup:", e));
  };
  try {
    if (!fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
      throw new Error("No production build: run `npm run build` first (npm test does).");
    }
    const port = options.port ?? (await freePort());
    const baseUrl = `http://localhost:${port}`;
    const keyPrefix = `ainfo-test-${crypto.randomBytes(4).toString("hex")}:message_store:`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      NEXTAUTH_URL: baseUrl,
      AUTH_SECRET: crypto.randomBytes(32).toString("hex"),
      HISTORY_KEY_PREFIX: keyPrefix,
      LLM_TIMEOUT_MS: "3000",
      HISTORY_MAX_MESSAGES: "6",
      MAX_CONCURRENT_STREAMS: "3",
      REDIS_TIMEOUT_MS: "500",
      NEXT_TELEMETRY_DISABLED: "1",
    };
    delete env.UPSTASH_REDIS_REST_URL;
    delete env.UPSTASH_REDIS_REST_TOKEN;

    const llm = await startFakeLlm();
    cleanups.push(llm.close);
    env.LLM_BASE_URL = llm.url;
    env.LLM_API_KEY = "test-key";
    env.LLM_MODEL = "fake-model";

    let databaseUrl: string | undefined;
    if (process.env.DATABASE_URL) {
      const db = await createTestDatabase(process.env.DATABASE_URL);
      cleanups.push(db.drop);
      databaseUrl = db.url;
      env.DATABASE_URL = db.url;
    } else {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ainfo-test-"));
      cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
      env.DATA_DIR = dataDir;
      delete env.DATABASE_URL;
    }

    let proxy: TcpProxy | undefined;
    if (process.env.REDIS_URL) {
      const target = new URL(process.env.REDIS_URL);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
      cleanups.push(proxy.close);
      const proxied = new URL(process.env.REDIS_URL);
      proxied.hostname = "127.0.0.1";
      proxied.port = String(proxy.port);
      env.REDIS_URL = proxied.toString();
    } else {
      delete env.REDIS_URL;
    }
    Object.assign(env, options.env);

    const server = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port)], {
      cwd: ROOT,
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    const keep = (data: Buffer) => {
      output.push(data.toString());
      if (output.length > 200) output.shift();
      if (process.env.STACK_LOG) process.stderr.write(data);
    };
    server.stdout!.on("data", keep);
    server.stderr!.on("data", keep);
    cleanups.push(() => stopProcess(server));
    await waitUntilReady(baseUrl, server, output);

    return {
      baseUrl,
      databaseUrl,
      redisUrl: process.env.REDIS_URL,
      redisControlUrl: proxy?.controlUrl,
      keyPrefix,
      llmUrl: llm.url,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitUntilReady(baseUrl: string, server: ChildProcess, output: string[]) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited (${server.exitCode}):\n${output.join("")}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`next start did not become ready:\n${output.join("")}`);
}

function stopProcess(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
