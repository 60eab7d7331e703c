import type { AnchorName, AnchorSkip, AnchorSeed, AnchorServer } from "./anchors";
import { runLoad, warmUp, type Endpoint, type LoadResult } from "./load";
import { COMPARABLE_ROOMS, type ComparableSeed } from "./seed";

/**
 * Our app beside the reference servers (bench/anchors.ts), on the same four GETs of the same
 * data: each row is the same work in every server (same rooms, logs and message text, see
 * seedComparable), loaded with the same autocannon settings as every other endpoint
 * (bench/load.ts), one server at a time. Issue 13's goals: every GET at least 1.5× DRF's
 * requests/s and at least 0.8× the Next.js floor's.
 */
export type ServerName = AnchorName | "ours";
export const SERVERS: readonly ServerName[] = ["drf", "next-floor", "limit", "ours"];
export const SERVER_LABELS: Record<ServerName, string> = { drf: "DRF", "next-floor": "next-floor", limit: "limit", ours: "ours" };
export const GOALS = { vsDrf: 1.5, vsFloor: 0.8 } as const;

export type CompareRowKey = "list" | "list-limit" | "detail" | "logs-1k" | "logs-10k";
export type ComparedRun = LoadResult & { path: string; bytes: number };
export type CompareRow = {
  key: CompareRowKey;
  label: string;
  /** This row's anchors did not run: they have no paging, so their figures are `anchorsFrom`'s. */
  anchorsFrom?: CompareRowKey;
  runs: Partial<Record<ServerName, ComparedRun>>;
};

export type AnchorsResult = {
  source: string;
  versions: Partial<Record<ServerName, string>>;
  skipped: AnchorSkip[];
  notes: string[];
  goals: typeof GOALS;
  rows: CompareRow[];
};

type RowSpec = {
  key: CompareRowKey;
  label: string;
  anchorsFrom?: CompareRowKey;
  /** Anchor path (`/chatbot/room/…`) and user; undefined: ours only. */
  anchor?: (seed: AnchorSeed) => { path: string; token: string };
  ours: (seed: ComparableSeed) => { path: string; token: string };
  /** What every server must answer, so a row is the same work everywhere. */
  check: (body: any) => string | undefined;
};

const arrayOf = (n: number) => (body: any) =>
  Array.isArray(body) && body.length === n ? undefined : `expected ${n} items, got ${Array.isArray(body) ? body.length : typeof body}`;

const ROWS: RowSpec[] = [
  {
    key: "list",
    label: `list, ${COMPARABLE_ROOMS} rooms`,
    anchor: (s) => ({ path: "/chatbot/room/", token: s.tokenA }),
    ours: (s) => ({ path: "/api/chatbot/room/", token: s.userA.token }),
    check: arrayOf(COMPARABLE_ROOMS),
  },
  {
    key: "list-limit",
    label: `list, ${COMPARABLE_ROOMS} rooms, ours with ?limit=50`,
    anchorsFrom: "list",
    ours: (s) => ({ path: `/api/chatbot/room/?limit=${COMPARABLE_ROOMS}`, token: s.userA.token }),
    check: arrayOf(COMPARABLE_ROOMS),
  },
  {
    key: "detail",
    label: "detail, 2 logs",
    anchor: (s) => ({ path: `/chatbot/room/${s.roomSmall}/`, token: s.tokenA }),
    ours: (s) => ({ path: `/api/chatbot/room/${s.roomSmall}/`, token: s.userA.token }),
    check: (body) =>
      Array.isArray(body?.chatlogs) && body.chatlogs.length === 2 ? undefined : `expected a room with 2 chatlogs, got ${JSON.stringify(body).slice(0, 120)}`,
  },
  {
    key: "logs-1k",
    label: "logs, 1k",
    anchor: (s) => ({ path: `/chatbot/room/${s.room1k}/logs/`, token: s.tokenC }),
    ours: (s) => ({ path: `/api/chatbot/room/${s.room1k}/logs/`, token: s.userC.token }),
    check: arrayOf(1_000),
  },
  {
    key: "logs-10k",
    label: "logs, 10k",
    anchor: (s) => ({ path: `/chatbot/room/${s.room10k}/logs/`, token: s.tokenC }),
    ours: (s) => ({ path: `/api/chatbot/room/${s.room10k}/logs/`, token: s.userC.token }),
    check: arrayOf(10_000),
  },
];

/** Seconds of unmeasured load per row and server before the measured runs. */
const WARM_UP_SEC = 2;

type Target = { name: ServerName; baseUrl: string; scheme: "Bearer" | "Token"; pid?: number };

export async function compareWithAnchors(params: {
  ours: { baseUrl: string; pid?: number; seed: ComparableSeed };
  anchors: AnchorServer[];
  anchorSeed?: AnchorSeed;
  skipped: AnchorSkip[];
  source: string;
  versions: Partial<Record<ServerName, string>>;
  notes: string[];
  log: (message: string) => void;
}): Promise<AnchorsResult> {
  const { ours, anchorSeed, log } = params;
  const skipped = [...params.skipped];
  let targets: Target[] = [
    ...params.anchors.map((a): Target => ({ name: a.name, baseUrl: a.baseUrl, scheme: "Token" })),
    { name: "ours", baseUrl: ours.baseUrl, scheme: "Bearer", pid: ours.pid },
  ];
  targets.sort((a, b) => SERVERS.indexOf(a.name) - SERVERS.indexOf(b.name));
  const request = (target: Target, spec: RowSpec) =>
    target.name === "ours" ? spec.ours(ours.seed) : anchorSeed && spec.anchor ? spec.anchor(anchorSeed) : undefined;

  // One request per row and server first: same answers everywhere, or that server is out.
  const bytes = new Map<string, number>();
  for (const target of targets) {
    for (const spec of ROWS) {
      const req = request(target, spec);
      if (!req) continue;
      const res = await fetch(`${target.baseUrl}${req.path}`, { headers: { authorization: `${target.scheme} ${req.token}`, accept: "application/json" } });
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const problem = res.status !== 200 ? `HTTP ${res.status}: ${text.slice(0, 200)}` : spec.check(body);
      if (problem) {
        const reason = `GET ${req.path} does not answer like the others: ${problem}`;
        if (target.name === "ours") throw new Error(`ours: ${reason}`);
        skipped.push({ name: target.name, reason });
        log(`${target.name} SKIPPED: ${reason}`);
        targets = targets.filter((t) => t !== target);
        break;
      }
      bytes.set(`${target.name} ${spec.key}`, Buffer.byteLength(text));
    }
  }

  // Every server warmed on every row before the first figure: otherwise the first row measured
  // pays for the JIT compiling code the later rows share, more so on a larger server.
  for (const target of targets) {
    for (const spec of ROWS) {
      const req = request(target, spec);
      if (!req) continue;
      await warmUp(target.baseUrl, { name: "warm-up", method: "GET", path: () => req.path, token: req.token, scheme: target.scheme }, WARM_UP_SEC);
    }
  }

  const rows: CompareRow[] = [];
  for (const spec of ROWS) {
    const row: CompareRow = { key: spec.key, label: spec.label, anchorsFrom: spec.anchorsFrom, runs: {} };
    for (const target of targets) {
      const req = request(target, spec);
      if (!req) continue;
      const endpoint: Endpoint = { name: `${spec.label} (${target.name})`, method: "GET", path: () => req.path, token: req.token, scheme: target.scheme };
      const result = await runLoad(target.baseUrl, endpoint, target.pid);
      row.runs[target.name] = { ...result, path: req.path, bytes: bytes.get(`${target.name} ${spec.key}`) ?? 0 };
      const bad = result.non2xx + result.errors + result.timeouts;
      log(`${spec.label} — ${SERVER_LABELS[target.name]}: ${result.rps} req/s, p50 ${result.latencyMs.p50} ms${bad ? ` [${bad} failed]` : ""}`);
    }
    rows.push(row);
  }
  return { source: params.source, versions: params.versions, skipped, notes: params.notes, goals: GOALS, rows };
}

/** The run of `server` in `row`, or for anchors, the row they took their figures from. */
export function runOf(result: AnchorsResult, row: CompareRow, server: ServerName): ComparedRun | undefined {
  if (server !== "ours" && row.anchorsFrom) {
    return result.rows.find((r) => r.key === row.anchorsFrom)?.runs[server];
  }
  return row.runs[server];
}

/** ours ÷ DRF and ours ÷ next-floor in requests/s, and whether issue 13's goals are met. */
export function goalsOf(result: AnchorsResult, row: CompareRow) {
  const ours = runOf(result, row, "ours");
  const ratio = (server: ServerName) => {
    const other = runOf(result, row, server);
    return ours && other && other.requests > 0 && ours.requests > 0 ? ours.rps / other.rps : undefined;
  };
  const vsDrf = ratio("drf");
  const vsFloor = ratio("next-floor");
  return {
    vsDrf,
    vsFloor,
    drfMet: vsDrf === undefined ? undefined : vsDrf >= result.goals.vsDrf,
    floorMet: vsFloor === undefined ? undefined : vsFloor >= result.goals.vsFloor,
  };
}
