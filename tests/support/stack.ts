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
  /** The test database, reached directly (not through the optional Postgres proxy). */
  databaseUrl?: string;
  redisUrl?: string;
  redisControlUrl?: string;
  keyPrefix: string;
  llmUrl: string;
  stop: () => Promise<void>;
  /** Signs session JWTs; a second server needs the same one to accept the first's sessions. */
  authSecret?: string;
  /** The PGlite directory when DATABASE_URL is unset. */
  dataDir?: string;
  /** With `proxyPostgres`: `POST {url}/down` cuts the app off Postgres, `/up` restores it. */
  postgresControlUrl?: string;
  /** The `next start` process, e.g. to read its memory from /proc/<pid>/status. */
  pid?: number;
  /** Kills the server (SIGKILL by default: no graceful shutdown) and waits for it to exit. */
  /** Resolves with the exit code (null when a signal ended it). */
  kill?: (signal?: NodeJS.Signals) => Promise<number | null>;
  /** What the server has written to stdout and stderr lately (its log lines). */
  output: () => string;
};

export type StackOptions = {
  port?: number;
  /** Extra environment for the server; wins over everything set here. */
  env?: Record<string, string>;
  /**
   * Join an existing stack's data instead of creating fresh data: the same database (or
   * PGlite directory), Redis key prefix and auth secret, i.e. a second instance of one
   * deployment, or a restart of a killed server. The owner drops the database, not the joiner.
   */
  join?: Pick<Stack, "databaseUrl" | "dataDir" | "keyPrefix" | "authSecret">;
  /** Put a cuttable TCP proxy between the app and Postgres (`postgresControlUrl`). */
  proxyPostgres?: boolean;
  /**
   * `next` (default): `next start` on `.next/`. `standalone`: `node server.js` from a copy of
   * `.next/standalone` plus its static files in a temp directory outside the repository,
   * as the Dockerfile lays it out (so nothing resolves from the repository's node_modules).
   */
  server?: "next" | "standalone";
};

/** Rate-limit counters live next to the history keys, under the stack's own namespace. */
const rateLimitPrefixFor = (keyPrefix: string) => `${keyPrefix.replace(/message_store:$/, "")}ratelimit:`;

/** Turn locks, slots and live replies likewise. */
export const replyPrefixFor = (keyPrefix: string) => `${keyPrefix.replace(/message_store:$/, "")}replies:`;

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

export async function startStack(options: StackOptions = {}): Promise<Stack> {
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
    const keyPrefix = options.join?.keyPrefix ?? `ainfo-test-${crypto.randomBytes(4).toString("hex")}:message_store:`;
    const authSecret = options.join?.authSecret ?? crypto.randomBytes(32).toString("hex");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      NEXTAUTH_URL: baseUrl,
      AUTH_SECRET: authSecret,
      HISTORY_KEY_PREFIX: keyPrefix,
      RATE_LIMIT_KEY_PREFIX: rateLimitPrefixFor(keyPrefix),
      REPLY_KEY_PREFIX: replyPrefixFor(keyPrefix),
      // High enough never to disturb the suites; the rate-limit tests start servers with low ones.
      RATE_LIMIT_WRITES_PER_MINUTE: "100000",
      RATE_LIMIT_MESSAGES_PER_MINUTE: "100000",
      RATE_LIMIT_AUTH_PER_MINUTE: "100000",
      LLM_TIMEOUT_MS: "3000",
      HISTORY_MAX_MESSAGES: "6",
      MAX_CONCURRENT_STREAMS: "3",
      REDIS_TIMEOUT_MS: "500",
      NEXT_TELEMETRY_DISABLED: "1",
    };
    delete env.UPSTASH_REDIS_REST_URL;
    delete env.UPSTASH_REDIS_REST_TOKEN;
    delete env.METRICS_TOKEN; // off unless a test turns it on

    const llm = await startFakeLlm();
    cleanups.push(llm.close);
    env.LLM_BASE_URL = llm.url;
    env.LLM_API_KEY = "test-key";
    env.LLM_MODEL = "fake-model";

    let databaseUrl: string | undefined;
    let dataDir: string | undefined;
    let postgresProxy: TcpProxy | undefined;
    if (process.env.DATABASE_URL) {
      if (options.join) {
        databaseUrl = options.join.databaseUrl;
        if (!databaseUrl) throw new Error("startStack: the stack to join has no databaseUrl");
      } else {
        const db = await createTestDatabase(process.env.DATABASE_URL);
        cleanups.push(db.drop);
        databaseUrl = db.url;
      }
      env.DATABASE_URL = databaseUrl;
      if (options.proxyPostgres) {
        const direct = new URL(databaseUrl);
        postgresProxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
        cleanups.push(postgresProxy.close);
        const proxied = new URL(databaseUrl);
        proxied.hostname = "127.0.0.1";
        proxied.port = String(postgresProxy.port);
        env.DATABASE_URL = proxied.toString();
      }
    } else {
      if (options.proxyPostgres) throw new Error("startStack: proxyPostgres needs DATABASE_URL (PGlite runs in-process)");
      if (options.join) {
        dataDir = options.join.dataDir;
        if (!dataDir) throw new Error("startStack: the stack to join has no dataDir");
      } else {
        const created = fs.mkdtempSync(path.join(os.tmpdir(), "ainfo-test-"));
        cleanups.push(async () => fs.rmSync(created, { recursive: true, force: true }));
        dataDir = created;
      }
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

    const watchParent = path.join(ROOT, "tests/support/exit-with-parent.cjs");
    let args: string[];
    let cwd = ROOT;
    if (options.server === "standalone") {
      cwd = copyStandalone();
      cleanups.push(async () => fs.rmSync(cwd, { recursive: true, force: true }));
      env.HOSTNAME = "0.0.0.0"; // server.js listens on HOSTNAME (a container sets it to its own name)
      args = ["--require", watchParent, path.join(cwd, "server.js")];
    } else {
      args = ["--require", watchParent, path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port)];
    }
    const server = spawn(process.execPath, args, { cwd, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    const output: string[] = [];
    const keep = (data: Buffer) => {
      output.push(data.toString());
      if (output.length > 2000) output.shift();
      if (process.env.STACK_LOG) process.stderr.write(data);
    };
    server.stdout!.on("data", keep);
    server.stderr!.on("data", keep);
    cleanups.push(() => stopProcess(server));
    // A runner that exits without its teardown (process.exit, a crash) takes the server along.
    const killOnExit = () => server.kill("SIGKILL");
    process.once("exit", killOnExit);
    cleanups.push(async () => void process.off("exit", killOnExit));
    await waitUntilReady(baseUrl, server, output);

    return {
      baseUrl,
      databaseUrl,
      redisUrl: process.env.REDIS_URL,
      redisControlUrl: proxy?.controlUrl,
      keyPrefix,
      llmUrl: llm.url,
      stop,
      authSecret,
      dataDir,
      postgresControlUrl: postgresProxy?.controlUrl,
      pid: server.pid,
      output: () => output.join(""),
      kill: async (signal: NodeJS.Signals = "SIGKILL") => {
        if (server.exitCode !== null || server.signalCode !== null) return server.exitCode;
        const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
        server.kill(signal);
        return exited;
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The Dockerfile's runtime stage: `.next/standalone` with `.next/static` (and `public/`) beside it. */
function copyStandalone(): string {
  const standalone = path.join(ROOT, ".next", "standalone");
  if (!fs.existsSync(path.join(standalone, "server.js"))) {
    throw new Error("No standalone build: `output: \"standalone\"` must be in next.config.ts; run `npm run build`.");
  }
  const app = fs.mkdtempSync(path.join(os.tmpdir(), "ainfo-standalone-"));
  fs.cpSync(standalone, app, { recursive: true });
  fs.cpSync(path.join(ROOT, ".next", "static"), path.join(app, ".next", "static"), { recursive: true });
  if (fs.existsSync(path.join(ROOT, "public"))) fs.cpSync(path.join(ROOT, "public"), path.join(app, "public"), { recursive: true });
  return app;
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

/** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
export function stopProcess(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
