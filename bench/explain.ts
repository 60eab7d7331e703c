import { spawn } from "node:child_process";
import path from "node:path";
import postgres from "postgres";
import { CAPTURE_MARKER, type CaptureInput, type CapturedQuery } from "./capture-queries";

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the SQL that lib/rooms/ really sends (captured by
 * capture-queries.ts in a child process), run with the same parameters against the seeded
 * database, and the indexes each plan uses.
 */
export type ExplainedQuery = CapturedQuery & {
  plan: string;
  indexes: string[];
  seqScans: string[];
  sorts: number;
  /** Postgres JIT-compiled the plan (its cost estimate passed jit_above_cost). */
  jit: boolean;
  executionMs: number;
  planningMs: number;
  sharedHit: number;
  sharedRead: number;
};

const ROOT = path.resolve(__dirname, "..");

export async function captureQueries(input: CaptureInput): Promise<CapturedQuery[]> {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join(__dirname, "capture-queries.ts"), JSON.stringify(input)],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const line = out.split("\n").find((l) => l.startsWith(CAPTURE_MARKER));
  if (code !== 0 || !line) throw new Error(`capture-queries failed (${code}):\n${err}\n${out}`);
  return JSON.parse(line.slice(CAPTURE_MARKER.length)) as CapturedQuery[];
}

export async function explainAll(databaseUrl: string, queries: CapturedQuery[]): Promise<ExplainedQuery[]> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {}, connection: { TimeZone: "UTC" } });
  try {
    const explained: ExplainedQuery[] = [];
    for (const query of queries) {
      // Warm once (as a server that has run it before would be), then explain.
      await sql.unsafe(query.sql, query.params as postgres.ParameterOrJSON<never>[]);
      const rows = await sql.unsafe<{ "QUERY PLAN": string }[]>(
        `explain (analyze, buffers) ${query.sql}`,
        query.params as postgres.ParameterOrJSON<never>[],
      );
      const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
      explained.push({ ...query, ...analyzePlan(plan) });
    }
    return explained;
  } finally {
    await sql.end();
  }
}

export function analyzePlan(plan: string) {
  const indexes = [
    ...new Set(
      [...plan.matchAll(/(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\S+)/g)].map((m) => m[1]!),
    ),
  ];
  const seqScans = [...new Set([...plan.matchAll(/Seq Scan on (\S+)/g)].map((m) => m[1]!))];
  const sorts = [...plan.matchAll(/->\s+(?:Incremental )?Sort\b|^\s*(?:Incremental )?Sort\b/gm)].length;
  const num = (re: RegExp) => Number(re.exec(plan)?.[1] ?? Number.NaN);
  // The first Buffers line belongs to the top node: the whole query's I/O.
  const buffers = /Buffers: shared(?: hit=(\d+))?(?: read=(\d+))?/.exec(plan);
  return {
    plan,
    indexes,
    seqScans,
    sorts,
    jit: /^JIT:/m.test(plan),
    executionMs: num(/Execution Time: ([\d.]+) ms/),
    planningMs: num(/Planning Time: ([\d.]+) ms/),
    sharedHit: Number(buffers?.[1] ?? 0),
    sharedRead: Number(buffers?.[2] ?? 0),
  };
}
