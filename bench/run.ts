/**
 * `npm run bench` (docs/testing.md, issues 5 and 13): production build, a fresh database seeded
 * at scale, four GETs beside the reference servers of shared/anchors (DRF, the Next.js floor,
 * the bare-Node limit), every §5 endpoint under autocannon, time-to-first-token overhead (§6),
 * the 10,000-log answer with and without compression, the cost curve of keyset paging and
 * DELETE, and the query plans of the room and log listings.
 * Results: bench/results/latest.{json,md,svg} (+ a timestamped JSON) and the README's
 * benchmark section; `BENCH_ONLY=anchors|app` runs one part (results in only-<part>.*).
 * Knobs: bench/config.ts.
 */
import { execSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { ROOT, startStack, type Stack } from "../tests/support/stack";
import { prepareAnchors, startAnchors } from "./anchors";
import { buildForProduction } from "./build";
import { measureCompression } from "./compression";
import { compareWithAnchors, type AnchorsResult } from "./compare";
import { config } from "./config";
import { logsPageCurve, timeDeletes } from "./cost";
import { captureQueries, explainAll } from "./explain";
import { startBenchModel, type BenchModel } from "./fake-model";
import { cycle, drain, round, runLoad, type Endpoint, type LoadResult } from "./load";
import { deleteKeys } from "./redis-keys";
import { anchorsTable, consoleReport, endpointsTable, writeResults, type BenchResults } from "./report";
import { findServerPid, findServerPidByPort, rssMb } from "./rss";
import { seed, seedComparable, seedTotals, type Seed } from "./seed";
import { countStatementsPerRequest, startStatementCounter } from "./sql-count";
import { measureTtft } from "./ttft";

const DELETE_WARMUP = 20;
/** Sequential requests per endpoint when counting SQL statements (plus one to warm up). */
const SQL_COUNT_SAMPLES = 8;
/** Sequential GETs of the 10,000-log answer per Accept-Encoding (plus one to warm up). */
const COMPRESSION_SAMPLES = 10;
const log = (message: string) => console.log(`[bench] ${message}`);

/** What to undo however the run ends (failure, Ctrl-C): servers, databases, Redis keys. Last in, first out. */
const cleanups: (() => Promise<unknown>)[] = [];
let cleaning: Promise<void> | undefined;
const cleanUp = () =>
  (cleaning ??= (async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((e) => console.warn(`[bench] cleanup: ${e}`));
  })());
// The first Ctrl-C cleans up, then exits. The same signal may come twice at once (the terminal
// signals the whole process group, and tsx relays it to this process too): a second one quits
// without cleaning up only when it comes later, from a person.
let interrupted = 0;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted === 0) {
      interrupted = Date.now();
      log(`${signal}: stopping the servers and dropping the databases… (Ctrl-C again to quit at once)`);
      void cleanUp().finally(() => process.exit(130));
    } else if (Date.now() - interrupted > 1_000) {
      process.exit(130);
    }
  });
}

async function main() {
  const started = Date.now();
  const loadAtStart = os.loadavg()[0]!;
  const withApp = config.only !== "anchors";
  const withAnchors = config.only !== "app";
  if (config.only) log(`BENCH_ONLY=${config.only}`);
  if (config.skipBuild) log("BENCH_SKIP_BUILD=1: using the existing .next build");
  else log(`next build done in ${buildForProduction(ROOT).toFixed(0)} s`);
  // Installs and builds happen here, before anything is measured.
  const prepared = withAnchors ? await prepareAnchors() : undefined;

  // The stack reads these from the environment: real Postgres and Redis, defaults local.
  process.env.DATABASE_URL = config.databaseUrl;
  process.env.REDIS_URL = config.redisUrl;
  const namespace = `ainfo-bench-${crypto.randomBytes(4).toString("hex")}:`;
  cleanups.push(() => deleteKeys(config.redisUrl, namespace));

  try {
    const model = withApp ? await startBenchModel() : undefined;
    if (model) cleanups.push(model.close);
    const serverEnv: Record<string, string> = {
      // The bench's instrumented zero-delay model, and Redis direct (not the tests' proxy).
      ...(model ? { LLM_BASE_URL: model.url } : {}),
      REDIS_URL: config.redisUrl,
      HISTORY_KEY_PREFIX: `${namespace}message_store:`,
      RATE_LIMIT_KEY_PREFIX: `${namespace}ratelimit:`,
      // Measure the app, not its limits.
      MAX_CONCURRENT_STREAMS: "1000",
      RATE_LIMIT_WRITES_PER_MINUTE: "10000000",
      RATE_LIMIT_MESSAGES_PER_MINUTE: "10000000",
      RATE_LIMIT_AUTH_PER_MINUTE: "10000000",
      // Production defaults where the test stack lowers them.
      HISTORY_MAX_MESSAGES: "20",
      LLM_TIMEOUT_MS: "30000",
      REDIS_TIMEOUT_MS: "2000",
    };
    const stack = await startStack({ env: serverEnv });
    cleanups.push(stack.stop); // stops the server, drops the database
    if (!stack.databaseUrl) throw new Error("the stack has no database URL (is DATABASE_URL set?)");
    const serverPid =
      stack.pid !== undefined ? findServerPid(stack.pid) : findServerPidByPort(Number(new URL(stack.baseUrl).port));
    log(`server ${stack.baseUrl} (pid ${serverPid ?? "unknown"}), database ${new URL(stack.databaseUrl).pathname.slice(1)}`);
    const idleMb = serverPid === undefined ? undefined : rssMb(serverPid);
    const pgVersion = await postgresVersion(stack.databaseUrl);
    const loadBefore = os.loadavg()[0]!;

    log("seeding…");
    const seedStarted = Date.now();
    const comparable = await seedComparable(stack.baseUrl, stack.databaseUrl);
    const data = withApp ? await seed(stack.baseUrl, stack.databaseUrl, config.deletes + DELETE_WARMUP + SQL_COUNT_SAMPLES + 1) : undefined;
    const totals = data?.totals ?? (await seedTotals(stack.databaseUrl));
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    log(`seeded ${totals.users} users, ${totals.rooms} rooms, ${totals.logs} logs in ${seedSeconds.toFixed(1)} s`);
    const afterSeedMb = serverPid === undefined ? undefined : rssMb(serverPid);

    let anchors: AnchorsResult | undefined;
    if (prepared) {
      log("beside the reference servers…");
      const running = await startAnchors(prepared);
      cleanups.push(running.stop); // stops the anchors, drops their database
      try {
        anchors = await compareWithAnchors({
          ours: { baseUrl: stack.baseUrl, pid: serverPid, seed: comparable },
          anchors: running.servers,
          anchorSeed: running.seed,
          skipped: running.skipped,
          source: prepared.sourceDir,
          versions: { ...prepared.versions, ours: `Next.js ${nextVersion()}` },
          notes: prepared.notes,
          log: (message) => log(`compare: ${message}`),
        });
      } finally {
        await running.stop();
      }
    }

    const app = data ? await measureApp(stack, serverEnv, serverPid, data, model!) : undefined;

    const results: BenchResults = {
      meta: {
        date: new Date().toISOString(),
        commit: gitCommit(),
        node: process.versions.node,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model.trim() ?? "unknown CPU",
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        postgres: pgVersion,
        // Other work on the machine skews every figure: say how busy it was.
        loadAverage: { start: round(loadAtStart, 2), before: round(loadBefore, 2), after: round(os.loadavg()[0]!, 2) },
        only: config.only,
        settings: {
          connections: config.connections,
          durationSec: config.durationSec,
          warmupSec: config.warmupSec,
          deletes: config.deletes,
          ttftSamples: config.ttftSamples,
          costDurationSec: config.costDurationSec,
          searchTerms: [config.searchTerm, config.searchTerm3],
        },
        seed: { ...totals, seconds: seedSeconds },
        serverPid,
        totalSeconds: Math.round((Date.now() - started) / 1000),
      },
      anchors,
      ...app,
      rss: {
        idleMb,
        afterSeedMb,
        peakMb: app ? Math.max(...app.endpoints.map((e) => e.rssPeakMb ?? 0)) || undefined : undefined,
        endMb: serverPid === undefined ? undefined : rssMb(serverPid),
      },
    };
    console.log(`\n${consoleReport(results)}`);
    const files = writeResults(path.join(__dirname, "results"), results, path.join(ROOT, "README.md"));
    log(`wrote ${Object.values(files).map((f) => path.relative(ROOT, f)).join(", ")}`);
    if (model) log(`model requests: ${model.requests()}`);
    log(`total ${results.meta.totalSeconds} s`);
    if (anchors) console.log(`\n${anchorsTable(anchors)}\n`);
    if (app) console.log(`\n${endpointsTable(results)}\n`);
  } finally {
    await cleanUp();
  }
}

/** Every endpoint of our app, SQL per request, time to first token, the cost curve, plans. */
async function measureApp(stack: Stack, serverEnv: Record<string, string>, serverPid: number | undefined, data: Seed, model: BenchModel) {
  const endpoints: LoadResult[] = [];
  const toLoad = endpointsToLoad(data);
  for (const endpoint of toLoad) {
    const result = await runLoad(stack.baseUrl, endpoint, serverPid);
    endpoints.push(result);
    const codes = Object.entries(result.statusCodes).map(([c, n]) => `${c}×${n}`).join(" ");
    log(`${endpoint.name}: ${result.rps} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms [${codes || "no response"}]`);
  }

  log("SQL statements per request (second server behind a counting proxy)…");
  await countSql(stack.databaseUrl!, serverEnv, toLoad, endpoints);

  log(`time to first token: ${config.ttftSamples} SSE sends…`);
  const ttft = await measureTtft({
    baseUrl: stack.baseUrl,
    token: data.writer.token,
    roomIds: data.ttftRoomIds,
    model,
    samples: config.ttftSamples,
  });
  log(`TTFT overhead p50 ${ttft.overheadMs.p50} ms, p99 ${ttft.overheadMs.p99} ms`);

  const tenK = data.bigRooms.find((room) => room.logs === 10_000);
  if (!tenK) throw new Error("the seed has no room of 10,000 logs (config.seed.bigRoomLogs)");
  log(`compression: GET /room/{id}/logs/ of ${tenK.logs} logs per Accept-Encoding…`);
  const compression = await measureCompression({
    baseUrl: stack.baseUrl,
    token: data.bench.token,
    path: `/api/chatbot/room/${tenK.roomId}/logs/`,
    samples: COMPRESSION_SAMPLES,
    items: tenK.logs,
  });
  for (const run of compression.runs) {
    log(`compression: ${run.requested} → ${run.answered}, ${run.wireBytes} bytes (${(run.ratio * 100).toFixed(1)}%), TTFB p50 ${run.ttfbMs} ms, last byte p50 ${run.lastByteMs} ms`);
  }
  for (const d of compression.declined) log(`compression: ${d.requested} not offered (answered ${d.answered})`);

  log("cost curve…");
  const curve = await logsPageCurve(stack.baseUrl, data.bench.token, data.bigRooms, serverPid);

  log("query plans…");
  const captured = await captureQueries({
    databaseUrl: stack.databaseUrl!,
    userId: data.bench.id,
    typicalUserId: data.typicalUserId,
    searchTerms: [config.searchTerm, config.searchTerm3],
    bigRooms: data.bigRooms,
  });
  const explain = await explainAll(stack.databaseUrl!, captured);

  // Last: these remove the big rooms.
  const deletes = await timeDeletes(stack.baseUrl, data.bench.token, data.bigRooms);
  log(`DELETE: ${deletes.map((d) => `${d.logs} logs ${d.ms} ms`).join(", ")}`);

  const costCurve = curve.map((point) => {
    const page = explain.filter((q) => q.label.includes(`(${point.logs} logs)`)).at(-1);
    return { ...point, sqlMs: page?.executionMs, sqlBuffers: page ? page.sharedHit + page.sharedRead : undefined };
  });
  return { endpoints, ttft, compression, costCurve, deletes, explain };
}

/**
 * Fills `sqlPerRequest` of each result: a second server on the same data, its Postgres
 * traffic through the counting proxy of sql-count.ts, one request at a time.
 */
async function countSql(databaseUrl: string, serverEnv: Record<string, string>, toLoad: Endpoint[], results: LoadResult[]) {
  const direct = new URL(databaseUrl);
  const counter = await startStatementCounter({ host: direct.hostname, port: Number(direct.port || 5432) });
  const proxied = new URL(databaseUrl);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(counter.port);
  const server = await startStack({ env: { ...serverEnv, DATABASE_URL: proxied.toString() } });
  try {
    const counts = await countStatementsPerRequest(server.baseUrl, toLoad, counter, SQL_COUNT_SAMPLES);
    for (const result of results) {
      const count = counts[result.name];
      result.sqlPerRequest = count?.median;
      log(`${result.name}: ${count?.median} statements (max ${count?.max}, HTTP ${count?.statuses.join("/")})`);
    }
  } finally {
    await server.stop(); // also drops the empty database that this second stack created
    await counter.close();
  }
}

/** docs/api.md, in order: reads on the bench user's data first, then the writes. */
function endpointsToLoad(data: Seed): Endpoint[] {
  const [small, , large] = data.bigRooms;
  const room = (id: number, rest = "") => `/api/chatbot/room/${id}/${rest}`;
  const reader = data.bench.token;
  const writer = data.writer.token;
  let renames = 0;
  return [
    { name: "GET /api/health", method: "GET", path: () => "/api/health", token: reader },
    { name: "GET /room/ (all 1,000)", method: "GET", path: () => "/api/chatbot/room/", token: reader },
    { name: "GET /room/?limit=50", method: "GET", path: () => "/api/chatbot/room/?limit=50", token: reader },
    ...[config.searchTerm, config.searchTerm3].map(
      (q): Endpoint => ({
        name: `GET /room/?q=${q}`,
        method: "GET",
        path: () => `/api/chatbot/room/?q=${encodeURIComponent(q)}`,
        token: reader,
      }),
    ),
    { name: "GET /room/{id}/ (100 logs)", method: "GET", path: () => room(small!.roomId), token: reader },
    {
      name: "GET /room/{id}/logs/?limit=50 (100k)",
      method: "GET",
      path: () => room(large!.roomId, "logs/?limit=50"),
      token: reader,
    },
    {
      name: "GET /logs/?limit=50&before= (100k)",
      method: "GET",
      path: () => room(large!.roomId, `logs/?limit=50&before=${large!.middleLogId}`),
      token: reader,
    },
    {
      name: "POST /room/",
      method: "POST",
      path: () => "/api/chatbot/room/",
      body: () => '{"title":"Bench room"}',
      token: writer,
    },
    {
      name: "PATCH /room/{id}/",
      method: "PATCH",
      path: cycle(data.renameRoomIds.map((id) => room(id))),
      body: () => JSON.stringify({ title: `Renamed ${++renames}` }),
      token: reader,
    },
    {
      name: "DELETE /room/{id}/",
      method: "DELETE",
      path: drain(data.deleteRoomIds.map((id) => room(id)), room(2 ** 52)),
      token: writer,
      amount: config.deletes,
      warmupAmount: DELETE_WARMUP,
    },
    {
      name: "POST /room/{id}/messages/ (JSON)",
      method: "POST",
      path: cycle(data.messageRoomIds.map((id) => room(id, "messages/"))),
      body: () => '{"message":"Hello from the bench: what is keyset paging?"}',
      token: writer,
    },
  ];
}

function gitCommit() {
  try {
    const sha = execSync("git rev-parse --short HEAD", { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execSync("git status --porcelain --untracked-files=no", { cwd: ROOT, encoding: "utf8" }).trim();
    return dirty ? `${sha}+dirty` : sha;
  } catch {
    return "unknown";
  }
}

function nextVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/next/package.json"), "utf8")).version as string;
  } catch {
    return "?";
  }
}

async function postgresVersion(databaseUrl: string) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
    return `PostgreSQL ${row?.v.split(" ")[0] ?? "?"}`;
  } finally {
    await sql.end();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error("[bench] failed:", error);
    process.exit(1);
  },
);
