/**
 * Knobs of `npm run bench`, all overridable from the environment so a quick run
 * (`BENCH_DURATION=2`) and a careful one use the same code.
 */
import crypto from "node:crypto";
import os from "node:os";
import path from "node:path";

const num = (name: string, fallback: number) => {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
};

/** `BENCH_ONLY=anchors`: only the comparison with the reference servers; `app`: everything else. */
const only = ((): "anchors" | "app" | undefined => {
  const raw = process.env.BENCH_ONLY?.trim() ?? "";
  if (raw === "") return undefined;
  if (raw === "anchors" || raw === "app") return raw;
  throw new Error(`BENCH_ONLY must be "anchors" or "app", got "${raw}"`);
})();

export const config = {
  /** Skip `next build` and use the existing `.next` production build. */
  skipBuild: process.env.BENCH_SKIP_BUILD === "1",
  /** undefined: the whole benchmark; "anchors": the side-by-side comparison alone; "app": all but it. */
  only,
  /**
   * The reference servers (drf/, limit/, next-floor/: shared/anchors/README.md). CI clones put
   * `shared/` beside the project, hence `../shared/anchors` from the repository root.
   */
  anchorsDir: process.env.BENCH_ANCHORS_DIR?.trim() || path.resolve(__dirname, "../../shared/anchors"),
  /**
   * Where the anchors are copied, installed and built (the source stays untouched). Outside
   * the repository on purpose: inside it, `next build` of next-floor takes our package-lock.json
   * for its workspace root and compiles our proxy.ts and instrumentation.ts into the anchor.
   * One directory per checkout, so two worktrees do not rebuild each other's copies.
   */
  anchorsWorkDir:
    process.env.BENCH_ANCHORS_WORK_DIR?.trim() ||
    path.join(os.tmpdir(), `ainfo-bench-anchors-${crypto.createHash("sha256").update(path.resolve(__dirname, "..")).digest("hex").slice(0, 8)}`),
  /**
   * The anchors' Postgres: their settings hard-code postgres@127.0.0.1:5432, so their
   * database is created there whatever DATABASE_URL says.
   */
  anchorsAdminUrl: "postgres://postgres@127.0.0.1:5432/postgres",
  databaseUrl: process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres",
  redisUrl: process.env.REDIS_URL || "redis://127.0.0.1:6379",
  /** Seconds of load per endpoint, after a short warm-up. */
  durationSec: num("BENCH_DURATION", 5),
  warmupSec: num("BENCH_WARMUP", 1),
  /** Concurrent connections per endpoint (a 2-core machine saturates well below this). */
  connections: num("BENCH_CONNECTIONS", 10),
  /** DELETE /room/{id}/ runs exactly this many deletes (on rooms made for it). */
  deletes: num("BENCH_DELETES", 1_000),
  /** Sequential SSE sends for the time-to-first-token overhead (docs/chat-turn.md). */
  ttftSamples: num("BENCH_TTFT_SAMPLES", 30),
  /** Seconds of single-connection load for each point of the cost curve. */
  costDurationSec: num("BENCH_COST_DURATION", 3),

  seed: {
    benchRooms: 1_000,
    /** Logs in the three big rooms of the bench user: the cost curve's x axis. */
    bigRoomLogs: [100, 10_000, 100_000] as const,
    /** Logs in each of the bench user's other rooms. */
    logsPerRoom: 4,
    otherUsers: 100,
    roomsPerOtherUser: 3,
    logsPerOtherRoom: 10,
    /** Rooms of the "writer" user that POST /messages/ cycles through (one turn at a time each). */
    messageRooms: 200,
  },
  /**
   * `GET /room/?q=` terms, Korean on purpose (docs/api.md: `제주` finds "제주도 여행"). Both are in
   * 1 title in 10 and in a message of 1 room in 50. Two syllables give pg_trgm no trigram to
   * look up; three do: the bench runs both.
   */
  searchTerm: "제주",
  searchTerm3: "제주도",
};

export type BenchConfig = typeof config;
