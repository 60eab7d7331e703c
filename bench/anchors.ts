import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { freePort, ROOT, stopProcess } from "../tests/support/stack";
import { config } from "./config";

/**
 * The reference servers of shared/anchors (its README.md), run beside our app so `npm run
 * bench` can say how we compare (issue 13):
 * - `drf`: the seed's own stack, Django REST Framework under gunicorn (2 sync workers);
 * - `limit`: bare `node:http` + postgres.js, one prepared query per request;
 * - `next-floor`: the limit's exact SQL inside one bare Next.js route handler.
 * All three read the tables that DRF's `manage.py migrate` creates and `seed.py` fills
 * (user A: 50 rooms of 2 logs; user C: rooms of 1k, 10k and 100k logs).
 *
 * Each anchor is copied into a work directory outside the repository (config.anchorsWorkDir;
 * nothing is written into the shared directory), installed and built there (both cached while
 * the source is unchanged),
 * and checked for its prerequisites: a missing one skips that anchor with the reason said,
 * it does not fail the benchmark. Each run gets a fresh database, dropped by `stop()`.
 */
export type AnchorName = "drf" | "next-floor" | "limit";
export const ANCHOR_NAMES: readonly AnchorName[] = ["drf", "next-floor", "limit"];

export type AnchorSkip = { name: AnchorName; reason: string };

export type PreparedAnchors = {
  sourceDir: string;
  /** Anchors whose copy is ready to start. */
  ready: AnchorName[];
  skipped: AnchorSkip[];
  /** DRF's migrate and seed.py can run (every anchor reads the tables they make). */
  canSeed: boolean;
  versions: Partial<Record<AnchorName, string>>;
  notes: string[];
};

export type AnchorServer = {
  name: AnchorName;
  baseUrl: string;
  pid?: number;
  output: () => string;
};

/** What seed.py printed: `export DRF_TOKEN_A=… DRF_ROOM_SMALL=…` */
export type AnchorSeed = { tokenA: string; tokenC: string; roomSmall: number; room1k: number; room10k: number; room100k: number };

export type RunningAnchors = {
  servers: AnchorServer[];
  skipped: AnchorSkip[];
  seed?: AnchorSeed;
  database?: string;
  stop: () => Promise<void>;
};

/** serve.sh runs /usr/bin/python3, so the prerequisites are checked with that interpreter. */
const PYTHON = fs.existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const STAMP = ".bench-source-hash";
const log = (message: string) => console.log(`[bench] anchors: ${message}`);

/**
 * Copies, checks, installs and builds, before anything is measured (a build must not run
 * beside a load test). Never throws for a missing prerequisite: that anchor is skipped.
 */
export async function prepareAnchors(): Promise<PreparedAnchors> {
  const sourceDir = path.resolve(config.anchorsDir);
  const prepared: PreparedAnchors = { sourceDir, ready: [], skipped: [], canSeed: false, versions: {}, notes: [] };
  const skip = (name: AnchorName, reason: string) => {
    prepared.skipped.push({ name, reason });
    log(`${name} SKIPPED: ${reason}`);
  };
  if (!fs.existsSync(path.join(sourceDir, "README.md"))) {
    for (const name of ANCHOR_NAMES) skip(name, `no anchors at ${sourceDir} (set BENCH_ANCHORS_DIR)`);
    return prepared;
  }
  log(`source ${sourceDir}, work dir ${config.anchorsWorkDir}`);

  const postgresError = await checkPostgres();
  // DRF's migrate and seed.py make and fill every anchor's tables: without Django, none can run.
  const django = await run(PYTHON, ["-c", "import django, rest_framework, psycopg2; print(django.get_version(), rest_framework.VERSION)"]);
  const seedError = postgresError
    ? `Postgres at 127.0.0.1:5432 (user postgres) is not reachable: ${postgresError}`
    : django.code !== 0
      ? `${PYTHON} cannot import django, rest_framework and psycopg2 (their tables and seed come from DRF's ` +
        `manage.py and seed.py; apt-get install -y python3-django python3-djangorestframework python3-psycopg2): ` +
        lastLine(django.output)
      : undefined;
  prepared.canSeed = seedError === undefined;
  if (seedError) {
    for (const name of ANCHOR_NAMES) skip(name, seedError);
    return prepared;
  }
  const [djangoVersion, drfVersion] = django.output.trim().split(/\s+/);

  // drf: a fresh copy each run (cheap); gunicorn is what serves it.
  const gunicorn = await run(PYTHON, ["-m", "gunicorn", "--version"]);
  try {
    const dir = freshCopy("drf");
    const redis = await run(PYTHON, ["-c", "import redis"]);
    if (redis.code !== 0) {
      // chatbot/history.py imports redis at module level, for DELETE only: without the
      // package every view fails to import. A stub keeps the GETs exactly as they are.
      fs.writeFileSync(path.join(dir, "redis.py"), REDIS_STUB);
      const note = "drf: python3-redis is not installed; a stub `redis` module (bench/anchors.ts) lets the views import (only DELETE uses Redis)";
      prepared.notes.push(note);
      log(note);
    }
    if (gunicorn.code !== 0) {
      skip("drf", `gunicorn is not installed for ${PYTHON} (apt-get install -y gunicorn): ${lastLine(gunicorn.output)}`);
    } else {
      prepared.ready.push("drf");
      prepared.versions.drf = `Django ${djangoVersion}, DRF ${drfVersion}, ${gunicorn.output.trim().replace(/^.*\(version ([^)]+)\).*$/s, "gunicorn $1")}`;
      log(`drf ready (${prepared.versions.drf})`);
    }
  } catch (error) {
    skip("drf", String(error));
  }

  for (const name of ["next-floor", "limit"] as const) {
    try {
      const started = Date.now();
      const cached = await installNodeAnchor(name);
      prepared.ready.push(name);
      prepared.versions[name] = nodeAnchorVersions(name);
      log(`${name} ready (${prepared.versions[name]}; ${cached ? "cached install" : `installed in ${Math.round((Date.now() - started) / 1000)} s`})`);
    } catch (error) {
      skip(name, error instanceof Error ? error.message : String(error));
    }
  }
  prepared.ready.sort((a, b) => ANCHOR_NAMES.indexOf(a) - ANCHOR_NAMES.indexOf(b));
  return prepared;
}

/**
 * A fresh database, DRF's migrate and seed.py, then the ready anchors on free ports. An anchor
 * that does not come up is skipped (with its output's tail); `stop()` stops every server and
 * drops the database, whatever happened.
 */
export async function startAnchors(prepared: PreparedAnchors): Promise<RunningAnchors> {
  const children: ChildProcess[] = [];
  let database: string | undefined;
  const skipped = [...prepared.skipped];
  let stopped = false;
  const killAll = () => children.forEach((child) => child.kill("SIGKILL"));
  process.once("exit", killAll);
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(children.map(stopProcess));
    process.off("exit", killAll);
    if (database) await dropDatabase(database).catch((e) => console.warn(`[bench] anchors: dropping ${database}: ${e}`));
  };
  const running: RunningAnchors = { servers: [], skipped, stop };
  if (prepared.ready.length === 0) return running;
  try {
    database = `anchor_drf_${crypto.randomBytes(4).toString("hex")}`;
    await createDatabase(database);
    running.database = database;
    const drfDir = path.join(config.anchorsWorkDir, "drf");
    const env = { ...process.env, DRF_DB: database, REDIS_URL: config.redisUrl };
    const migrate = await run(PYTHON, ["manage.py", "migrate", "-v0"], { cwd: drfDir, env });
    if (migrate.code !== 0) throw new Error(`manage.py migrate failed:\n${tail(migrate.output)}`);
    const seeded = await run(PYTHON, ["seed.py"], { cwd: drfDir, env });
    if (seeded.code !== 0) throw new Error(`seed.py failed:\n${tail(seeded.output)}`);
    running.seed = parseSeed(seeded.output);
    log(`database ${database} migrated and seeded (user A: 50 rooms × 2 logs; user C: rooms of 1k, 10k, 100k logs)`);

    for (const name of prepared.ready) {
      const port = await freePort();
      const dir = path.join(config.anchorsWorkDir, name);
      const watchParent = path.join(ROOT, "tests/support/exit-with-parent.cjs");
      const [command, args, extraEnv]: [string, string[], Record<string, string>] =
        name === "drf"
          ? ["bash", ["serve.sh"], { DRF_PORT: String(port) }]
          : name === "limit"
            ? [process.execPath, ["--require", watchParent, "server.mjs"], { LIMIT_PORT: String(port) }]
            : [
                process.execPath,
                ["--require", watchParent, "node_modules/next/dist/bin/next", "start", "-p", String(port)],
                { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
              ];
      const child = spawn(command, args, { cwd: dir, env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
      children.push(child);
      const output: string[] = [];
      const keep = (data: Buffer) => {
        output.push(data.toString());
        if (output.length > 500) output.shift();
      };
      child.stdout!.on("data", keep);
      child.stderr!.on("data", keep);
      const server: AnchorServer = { name, baseUrl: `http://127.0.0.1:${port}`, pid: child.pid, output: () => output.join("") };
      const problem = await waitUntilReady(server, child, running.seed.tokenA);
      if (problem) {
        skipped.push({ name, reason: problem });
        log(`${name} SKIPPED: ${problem}`);
        await stopProcess(child);
        continue;
      }
      running.servers.push(server);
      log(`${name} serving on ${server.baseUrl} (pid ${child.pid})`);
    }
    return running;
  } catch (error) {
    await stop();
    throw error;
  }
}

export function parseSeed(output: string): AnchorSeed {
  const line = output.split("\n").find((l) => l.startsWith("export "));
  if (!line) throw new Error(`seed.py printed no exports:\n${tail(output)}`);
  const vars = Object.fromEntries([...line.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
  const need = (key: string) => {
    const value = vars[key];
    if (!value) throw new Error(`seed.py printed no ${key}: ${line}`);
    return value;
  };
  return {
    tokenA: need("DRF_TOKEN_A"),
    tokenC: need("DRF_TOKEN_C"),
    roomSmall: Number(need("DRF_ROOM_SMALL")),
    room1k: Number(need("DRF_ROOM_1K")),
    room10k: Number(need("DRF_ROOM_10K")),
    room100k: Number(need("DRF_ROOM_100K")),
  };
}

// --- copies, installs, builds ---

/**
 * limit: `npm ci`; next-floor: `npm ci` (its lock pins the packages its README lists) and
 * `next build`. Skipped when the copy was made from the same source and is complete.
 * Returns whether the cached copy was used.
 */
async function installNodeAnchor(name: "next-floor" | "limit"): Promise<boolean> {
  const source = path.join(path.resolve(config.anchorsDir), name);
  const dir = path.join(config.anchorsWorkDir, name);
  const hash = sourceHash(source);
  const complete =
    fs.existsSync(path.join(dir, "node_modules")) && (name === "limit" || fs.existsSync(path.join(dir, ".next", "BUILD_ID")));
  if (complete && readStamp(dir) === hash) return true;

  freshCopy(name);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const hasLock = fs.existsSync(path.join(dir, "package-lock.json"));
  log(`${name}: npm ${hasLock ? "ci" : "install"}…`);
  const install = await run(npm, [hasLock ? "ci" : "install", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: "development" },
  });
  if (install.code !== 0) throw new Error(`npm ${hasLock ? "ci" : "install"} failed in ${dir}:\n${tail(install.output)}`);
  if (name === "next-floor") {
    log("next-floor: next build…");
    const build = await run(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
      cwd: dir,
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (build.code !== 0) throw new Error(`next build failed in ${dir}:\n${tail(build.output)}`);
  }
  fs.writeFileSync(path.join(dir, STAMP), `${hash}\n`);
  return false;
}

function nodeAnchorVersions(name: "next-floor" | "limit") {
  const version = (pkg: string) => {
    try {
      const file = path.join(config.anchorsWorkDir, name, "node_modules", pkg, "package.json");
      return JSON.parse(fs.readFileSync(file, "utf8")).version as string;
    } catch {
      return "?";
    }
  };
  return name === "limit"
    ? `node:http, postgres.js ${version("postgres")}`
    : `Next.js ${version("next")}, postgres.js ${version("postgres")}`;
}

const SKIP_IN_COPY = new Set(["node_modules", ".next", "__pycache__", "next-env.d.ts", STAMP]);

/** Replaces the work copy with the source's files (made writable: the source may be read-only). */
function freshCopy(name: AnchorName) {
  const source = path.join(path.resolve(config.anchorsDir), name);
  if (!fs.existsSync(source)) throw new Error(`${source} does not exist`);
  const dir = path.join(config.anchorsWorkDir, name);
  fs.rmSync(dir, { recursive: true, force: true });
  const copy = (from: string, to: string) => {
    fs.mkdirSync(to, { recursive: true, mode: 0o755 });
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      if (SKIP_IN_COPY.has(entry.name)) continue;
      const src = path.join(from, entry.name);
      const dst = path.join(to, entry.name);
      if (entry.isDirectory()) copy(src, dst);
      else if (entry.isFile()) {
        fs.copyFileSync(src, dst);
        fs.chmodSync(dst, (fs.statSync(src).mode & 0o111) | 0o644);
      }
    }
  };
  copy(source, dir);
  return dir;
}

/** Every source file's path and content (what a copy is made from), plus the Node version. */
function sourceHash(dir: string) {
  const hash = crypto.createHash("sha256").update(process.version);
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (SKIP_IN_COPY.has(entry.name)) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) hash.update(`\0${path.relative(dir, full)}\0`).update(fs.readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest("hex");
}

function readStamp(dir: string) {
  try {
    return fs.readFileSync(path.join(dir, STAMP), "utf8").trim();
  } catch {
    return undefined;
  }
}

const REDIS_STUB = `# Written by the project's bench/anchors.ts because python3-redis is not installed.
# chatbot/history.py imports redis at module level but only DELETE uses it; the
# benchmark sends GETs only, so this stub changes nothing they do.
class Redis:
    @classmethod
    def from_url(cls, *args, **kwargs):
        return cls()

    def delete(self, *keys):
        raise RuntimeError("redis stub: install python3-redis")
`;

// --- processes and the database ---

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<{ code: number; output: string }>((resolve) => {
    let output = "";
    let child: ChildProcess;
    try {
      child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      return resolve({ code: 127, output: String(error) });
    }
    const keep = (data: Buffer) => {
      output += data.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    child.on("error", (error) => resolve({ code: 127, output: `${output}${error.message}` }));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

/** Polls the list endpoint with user A's token until it answers 200, the process dies, or 90 s pass. */
async function waitUntilReady(server: AnchorServer, child: ChildProcess, token: string): Promise<string | undefined> {
  const deadline = Date.now() + 90_000;
  let last = "";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      return `exited (${child.exitCode ?? child.signalCode}) before serving:\n${tail(server.output())}`;
    }
    try {
      const res = await fetch(`${server.baseUrl}/chatbot/room/`, { headers: { authorization: `Token ${token}` } });
      if (res.ok) return undefined;
      last = `HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`;
      if (res.status >= 500) return `answers ${last}\n${tail(server.output())}`;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return `not ready after 90 s (${last || "no answer"}):\n${tail(server.output())}`;
}

async function checkPostgres(): Promise<string | undefined> {
  const sql = postgres(config.anchorsAdminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await sql`select 1`;
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await sql.end().catch(() => undefined);
  }
}

async function createDatabase(name: string) {
  const sql = postgres(config.anchorsAdminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await sql.end();
  }
}

async function dropDatabase(name: string) {
  if (!/^anchor_drf_[0-9a-f]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  const sql = postgres(config.anchorsAdminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await sql.end();
  }
}

const lastLine = (text: string) => text.trim().split("\n").at(-1) ?? "";
const tail = (text: string, lines = 15) => text.trim().split("\n").slice(-lines).join("\n");
