import fs from "node:fs";
import path from "node:path";
import type { CompressionResult } from "./compression";
import { goalsOf, runOf, SERVER_LABELS, SERVERS, type AnchorsResult, type ComparedRun, type ServerName } from "./compare";
import type { CostPoint, DeleteTiming } from "./cost";
import type { ExplainedQuery } from "./explain";
import type { LoadResult } from "./load";
import type { TtftResult } from "./ttft";

/**
 * Everything one run measured: written as JSON, Markdown and an SVG chart, and (a whole run)
 * into README.md between `<!-- bench:start -->` and `<!-- bench:end -->`. A `BENCH_ONLY` run
 * has only its part (the other sections are absent).
 */
export type BenchResults = {
  meta: {
    date: string;
    commit: string;
    node: string;
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    postgres: string;
    /**
     * 1-minute load average (this machine has `cpus` cores): `start` when the command started
     * (before the build: other work on the machine), `before` when the load began, `after` at the end.
     */
    loadAverage: { start?: number; before: number; after: number };
    /** `BENCH_ONLY`: the part this run measured; undefined: all of it. */
    only?: "anchors" | "app";
    settings: Record<string, unknown>;
    seed: { users: number; rooms: number; logs: number; seconds: number };
    serverPid?: number;
    totalSeconds?: number;
  };
  /** Beside the reference servers (bench/compare.ts). */
  anchors?: AnchorsResult;
  endpoints?: LoadResult[];
  ttft?: TtftResult;
  /** The 10,000-log answer per Accept-Encoding (bench/compression.ts); absent from older results. */
  compression?: CompressionResult;
  costCurve?: (CostPoint & { sqlMs?: number; sqlBuffers?: number })[];
  deletes?: DeleteTiming[];
  explain?: ExplainedQuery[];
  rss: { idleMb?: number; afterSeedMb?: number; peakMb?: number; endMb?: number };
};

/** A run that completed no request has no rate or latency: "–", not 0. */
const measured = (e: LoadResult, value: number, digits: number) => (e.requests === 0 ? "–" : fmt(value, digits));

const fmt = (value: number | undefined, digits = 1) =>
  value === undefined || Number.isNaN(value) ? "–" : value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });

function table(header: string[], rows: (string | number)[][], align: ("l" | "r")[]) {
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(align.map((a) => (a === "r" ? "---:" : "---"))), ...rows.map(line)].join("\n");
}

export function endpointsTable(results: BenchResults) {
  return table(
    ["endpoint", "req/s", "p50 ms", "p99 ms", "non-2xx", "server RSS MB (peak)", "SQL/req"],
    (results.endpoints ?? []).map((e) => [
      `\`${e.name}\``,
      measured(e, e.rps, 1),
      measured(e, e.latencyMs.p50, 2),
      measured(e, e.latencyMs.p99, 2),
      e.non2xx + e.errors,
      fmt(e.rssPeakMb, 0),
      fmt(e.sqlPerRequest, 1),
    ]),
    ["l", "r", "r", "r", "r", "r", "r"],
  );
}

/** Rates and latencies with as many digits as they need: 2,880 · 131 · 43.2 · 4.85. */
const fmtAuto = (value: number | undefined) =>
  value === undefined || Number.isNaN(value) ? "–" : fmt(value, value >= 100 ? 0 : value >= 10 ? 1 : 2);

/** The machine, the date, how busy it was; a warning when the figures are not for comparing. */
function header(r: BenchResults) {
  const { meta } = r;
  const s = meta.settings;
  const load = meta.loadAverage;
  const out = [
    `${meta.date.slice(0, 10)}, commit \`${meta.commit}\`, Node ${meta.node}, ${meta.cpus} × ${meta.cpuModel}, ` +
      `${meta.memoryGb} GB, ${meta.postgres}. Everything on this one machine: the servers, Postgres, Redis and the load ` +
      `generator (autocannon, ${s.connections} connections, ${s.durationSec} s per endpoint after a ${s.warmupSec} s warm-up, ` +
      `one endpoint of one server at a time). 1-minute load average ` +
      (load.start === undefined ? "" : `${load.start} when the command started, `) +
      `${load.before} when the load began, ${load.after} at the end.`,
    "",
  ];
  const warnings = warningsOf(r);
  if (warnings.length > 0) out.push(`> ⚠️ ${warnings.join(" ")}`, "");
  return out;
}

/** Why these figures are not for comparing, if they are not: a short run, a busy machine. */
function warningsOf(r: BenchResults) {
  const { meta } = r;
  const warnings: string[] = [];
  const duration = Number(meta.settings.durationSec);
  if (duration < 5) warnings.push(`A short run (${duration} s per endpoint): these figures are for trying the harness, not for comparing.`);
  const start = meta.loadAverage.start;
  if (start !== undefined && start >= meta.cpus / 2) {
    warnings.push(`The machine was busy before the run began (load average ${start} on ${meta.cpus} cores): every figure is skewed.`);
  }
  return warnings;
}

const cell = (run: ComparedRun | undefined) => {
  if (!run) return "skipped";
  if (run.requests === 0) return "–";
  const failed = run.non2xx + run.errors + run.timeouts;
  return `${fmtAuto(run.rps)} · ${fmtAuto(run.latencyMs.p50)} ms${failed ? ` ⚠️ ${failed} failed` : ""}`;
};

/** 17× · 8.1× · 1.45× · 0.55×: two digits where a goal (1.5, 0.8) is near. */
const fmtRatio = (ratio: number) => `${fmt(ratio, ratio >= 10 ? 0 : ratio >= 2 ? 1 : 2)}×`;

const ratioCell = (ratio: number | undefined, met: boolean | undefined) =>
  ratio === undefined ? "–" : `${fmtRatio(ratio)} ${met ? "✅" : "❌"}`;

/** endpoint | DRF | next-floor | limit | ours | ours/DRF | ours/floor — requests/s · p50 each. */
export function anchorsTable(a: AnchorsResult) {
  return table(
    ["endpoint (req/s · p50)", ...SERVERS.map((name) => SERVER_LABELS[name]), "ours/DRF", "ours/floor"],
    a.rows.map((row) => {
      const goals = goalsOf(a, row);
      return [
        row.label,
        ...SERVERS.map((name) => {
          const text = cell(runOf(a, row, name));
          return name !== "ours" && row.anchorsFrom && text !== "skipped" ? `_${text}_` : text;
        }),
        ratioCell(goals.vsDrf, goals.drfMet),
        ratioCell(goals.vsFloor, goals.floorMet),
      ];
    }),
    ["l", "r", "r", "r", "r", "r", "r"],
  );
}

/** "Goals met: 7 of 10" and which are not. */
function goalsSummary(a: AnchorsResult) {
  const checks = a.rows.flatMap((row) => {
    const g = goalsOf(a, row);
    return [
      { row, what: `≥ ${a.goals.vsDrf}× DRF`, met: g.drfMet },
      { row, what: `≥ ${a.goals.vsFloor}× next-floor`, met: g.floorMet },
    ];
  });
  const judged = checks.filter((c) => c.met !== undefined);
  const missed = judged.filter((c) => !c.met);
  if (judged.length === 0) return "No goal could be judged: the anchors did not run.";
  return (
    `**Goals met: ${judged.length - missed.length} of ${judged.length}**` +
    (missed.length ? ` (missed: ${missed.map((c) => `${c.row.label} ${c.what}`).join("; ")})` : "") +
    (judged.length < checks.length ? `; ${checks.length - judged.length} not judged (an anchor skipped)` : "") +
    "."
  );
}

/** `benchReadme`: the link to bench/README.md from where this Markdown lands. */
function anchorsSection(r: BenchResults, chart: string | undefined, benchReadme: string) {
  const a = r.anchors;
  if (!a) return [];
  const v = a.versions;
  const out = [`### Beside the reference servers`, ""];
  out.push(
    `The same GETs on the same data in four servers (\`shared/anchors\`, [bench/README.md](${benchReadme}#the-reference-servers)): ` +
      `**DRF**, the seed's own stack (${v.drf ?? "Django REST Framework"}, 2 sync workers); ` +
      `**next-floor**, the limit's SQL in one bare Next.js route handler, i.e. what Next.js itself costs (${v["next-floor"] ?? "Next.js"}); ` +
      `**limit**, the practical limit for Node (${v.limit ?? "node:http + postgres.js"}, one prepared query per request); ` +
      `**ours** (${v.ours ?? "Next.js"}, production build). The data: a user with exactly 50 rooms of 2 logs, and rooms of ` +
      `1,000 and 10,000 logs ("message number N with some ordinary chat text in it"). Each cell: requests/s · p50 latency. ` +
      `Goals (issue 13): every GET at least ${a.goals.vsDrf}× DRF and at least ${a.goals.vsFloor}× next-floor, in requests/s.`,
    "",
    anchorsTable(a),
    "",
    goalsSummary(a),
    "",
  );
  const notes = [
    "DRF's list nests every room's logs (the seed's `ChatRoomSerializer`: one query per room); the others list rooms alone.",
    "The anchors have no paging: `?limit=50` is the same request for them, so that row repeats their list figures (in italics).",
    `Answer sizes in bytes (${SERVERS.map((n) => SERVER_LABELS[n]).join(" / ")}): ` +
      a.rows
        .filter((row) => !row.anchorsFrom)
        .map((row) => `${row.label} ${SERVERS.map((n) => (row.runs[n] ? fmt(row.runs[n]!.bytes, 0) : "–")).join(" / ")}`)
        .join("; ") +
      ". Ours carry more fields per room and log (docs/api.md).",
    ...a.notes.map((n) => `${n}.`),
    ...a.skipped.map((s) => `**${SERVER_LABELS[s.name]} skipped**: ${mdText(s.reason.split("\n")[0]!)}`),
  ];
  out.push(...notes.map((n) => `- ${n}`), "");
  if (chart) out.push(`![Requests per second of DRF, next-floor, limit and ours on each GET](${chart})`, "");
  return out;
}

function appSections(r: BenchResults, options: { plans: boolean; chart?: string }) {
  const { meta, ttft, endpoints } = r;
  if (!endpoints) return [];
  const s = meta.settings;
  const out: string[] = [];
  out.push(`### Every endpoint`, "");
  out.push(
    `\`next start\` (production build), real Postgres and Redis, a zero-delay fake OpenAI-compatible model. Seeded: ` +
      `${fmt(meta.seed.users, 0)} users, ${fmt(meta.seed.rooms, 0)} rooms, ${fmt(meta.seed.logs, 0)} logs (in ${fmt(meta.seed.seconds)} s); ` +
      `the bench user has 1,000 rooms, three of them with 100, 10,000 and 100,000 logs. ` +
      `Bearer-token auth on every request; DELETE: exactly ${s.deletes} requests. ` +
      `SQL/req: statements one request sends to Postgres (BEGIN and COMMIT included), counted on ` +
      `the wire by a proxy in front of a second server, one request at a time, outside the load runs.`,
    "",
  );
  out.push(endpointsTable(r), "");
  out.push(
    `Server RSS: ${fmt(r.rss.idleMb, 0)} MB idle, ${fmt(r.rss.afterSeedMb, 0)} MB after seeding, ` +
      `${fmt(r.rss.peakMb, 0)} MB peak, ${fmt(r.rss.endMb, 0)} MB at the end.`,
    "",
  );
  if (ttft) {
    out.push(`### Time to first token (docs/chat-turn.md)`, "");
    out.push(
      `${ttft.samples} sequential SSE sends (\`Accept: text/event-stream\`), each from request start to our first ` +
        `\`event: delta\` byte, minus the model's own time to its first chunk:`,
      "",
      table(
        ["", "p50 ms", "p99 ms", "mean ms"],
        [
          ["**overhead** (client TTFT − model TTFT)", fmt(ttft.overheadMs.p50, 2), fmt(ttft.overheadMs.p99, 2), fmt(ttft.overheadMs.mean, 2)],
          ["… before the model is called", fmt(ttft.beforeModelMs.p50, 2), fmt(ttft.beforeModelMs.p99, 2), fmt(ttft.beforeModelMs.mean, 2)],
          ["… model's first chunk → our first delta", fmt(ttft.afterModelMs.p50, 2), fmt(ttft.afterModelMs.p99, 2), fmt(ttft.afterModelMs.mean, 2)],
          ["client TTFT", fmt(ttft.clientTtftMs.p50, 2), fmt(ttft.clientTtftMs.p99, 2), fmt(ttft.clientTtftMs.mean, 2)],
          ["model TTFT (fake, zero delay)", fmt(ttft.modelTtftMs.p50, 3), fmt(ttft.modelTtftMs.p99, 3), fmt(ttft.modelTtftMs.mean, 3)],
          ["whole turn (until `done`)", fmt(ttft.totalMs.p50, 2), fmt(ttft.totalMs.p99, 2), fmt(ttft.totalMs.mean, 2)],
        ],
        ["l", "r", "r", "r"],
      ),
      "",
    );
  }
  if (r.compression) out.push(...compressionSection(r.compression));
  if (r.costCurve) {
    out.push(`### Cost curve`, "");
    out.push(
      `\`GET /room/{id}/logs/?limit=50&before=<middle log>\` on one connection (${s.costDurationSec} s each); ` +
        `SQL = execution time of the page query in EXPLAIN ANALYZE:`,
      "",
      table(
        ["room size (logs)", "req/s", "p50 ms", "p99 ms", "SQL ms", "buffers"],
        r.costCurve.map((p) => [fmt(p.logs, 0), fmt(p.rps), fmt(p.p50Ms, 2), fmt(p.p99Ms, 2), fmt(p.sqlMs, 3), fmt(p.sqlBuffers, 0)]),
        ["r", "r", "r", "r", "r", "r"],
      ),
      "",
    );
  }
  if (r.deletes) {
    out.push(
      table(
        ["`DELETE /room/{id}/` of a room with", "ms"],
        r.deletes.map((d) => [`${fmt(d.logs, 0)} logs${d.status === 204 ? "" : ` (HTTP ${d.status})`}`, fmt(d.ms)]),
        ["l", "r"],
      ),
      "",
    );
  }
  if (options.chart) out.push(`![Requests per second per endpoint, and the logs-page cost curve](${options.chart})`, "");
  if (options.plans && r.explain) {
    out.push(`### Query plans (EXPLAIN (ANALYZE, BUFFERS) of the SQL lib/rooms/ sends)`, "");
    out.push("The statements and full plans are in `latest.json` (`explain`) and in the console output.", "");
    out.push(
      table(
        ["query", "indexes used", "seq scans", "sort nodes", "exec ms", "buffers", "JIT"],
        r.explain.map((q, i) => [
          mdText(statementLabel(r.explain!, i)),
          q.indexes.map((i) => `\`${i}\``).join(", ") || "–",
          q.seqScans.join(", ") || "–",
          q.sorts,
          fmt(q.executionMs, 3),
          q.sharedHit + q.sharedRead,
          q.jit ? "yes" : "",
        ]),
        ["l", "l", "l", "r", "r", "r", "l"],
      ),
      "",
    );
  }
  return out;
}

/** The 10,000-log answer's bytes and times per Accept-Encoding, and what `next start` offered. */
function compressionSection(c: CompressionResult) {
  const decoded = c.runs[0]?.decodedBytes;
  const named = (encoding: string) => (encoding === "identity" ? "no compression" : `\`${encoding}\``);
  const offered = c.runs.filter((run) => run.requested !== "identity" && run.answered === run.requested).map((run) => `\`${run.answered}\``);
  const refused = [
    ...c.runs.filter((run) => run.requested !== "identity" && run.answered !== run.requested),
    ...c.declined,
  ].map((d) => `\`${d.requested}\` with ${named(d.answered)}`);
  const nm = c.notModified;
  const notModified = !nm
    ? "A `304 Not Modified` carries no body at all."
    : nm.status === 304 && nm.wireBytes === 0
      ? "A `304 Not Modified` (the answer's ETag sent back in `If-None-Match`) carries no body at all (measured: 0 bytes)."
      : `⚠️ The same GET with its ETag in \`If-None-Match\` answered HTTP ${nm.status} with ${fmt(nm.wireBytes, 0)} bytes of body.`;
  return [
    `### Compression (the 10,000-log answer)`,
    "",
    `\`GET ${c.path.replace(/\/room\/\d+\//, "/room/{id}/")}\` of the bench user's 10,000-log room (every log, no paging; ` +
      `${fmt(decoded, 0)} bytes of JSON), ${c.samples} sequential requests per \`Accept-Encoding\` after one to warm up, on one ` +
      `kept-alive connection, through \`node:http\` (bytes on the wire: the body as received, before decoding; every answer ` +
      `decoded and checked to hold ${fmt(c.items, 0)} items). TTFB: until the status line and headers.`,
    "",
    table(
      ["encoding", "bytes on the wire", "% of identity", "TTFB p50 ms", "time to last byte p50 ms"],
      c.runs.map((run) => [
        run.requested === "identity" ? "`identity` (no `Accept-Encoding`)" : run.answered === run.requested ? `\`${run.answered}\`` : `\`${run.requested}\` → ${named(run.answered)}`,
        fmt(run.wireBytes, 0),
        `${fmt(run.ratio * 100, 1)}%`,
        fmt(run.ttfbMs, 2),
        fmt(run.lastByteMs, 2),
      ]),
      ["l", "r", "r", "r", "r"],
    ),
    "",
    `\`next start\` compresses a route handler's answer itself (Next.js's \`compression\`, over 1 KiB): asked for each, it answered ` +
      `${offered.join(" and ") || "nothing compressed"}${refused.length ? `, and ${refused.join(", ")}` : ""}. ${notModified}`,
    "",
  ];
}

/** results/latest.md (or only-<part>.md): every section, the query plans' table included. */
export function markdown(r: BenchResults, chart = "latest.svg") {
  const title = r.meta.only ? `## Benchmark (\`BENCH_ONLY=${r.meta.only} npm run bench\`)` : "## Benchmark (`npm run bench`)";
  return [
    title,
    "",
    ...header(r),
    ...anchorsSection(r, r.anchors ? chart : undefined, "../README.md"),
    ...appSections(r, { plans: true, chart: r.anchors ? undefined : chart }),
  ].join("\n");
}

/** What README.md holds between its bench markers: the same, with how to reproduce it. */
export function readmeSection(r: BenchResults) {
  const chart = "bench/results/latest.svg";
  return [
    ...header(r),
    "To reproduce: `npm run bench` (about 6 minutes on 2 cores, plus `next build` and, the first time, the " +
      "anchors' install and build); `BENCH_ONLY=anchors npm run bench` for the comparison alone, " +
      "`BENCH_DURATION=2` to try it quickly. Prerequisites and knobs: [bench/README.md](bench/README.md).",
    "",
    ...anchorsSection(r, r.anchors ? chart : undefined, "bench/README.md"),
    ...appSections(r, { plans: false, chart: r.anchors ? undefined : chart }),
  ].join("\n");
}

const README_START = "<!-- bench:start -->";
const README_END = "<!-- bench:end -->";

/** Replaces what README.md holds between its bench markers. */
export function fillReadme(readmePath: string, r: BenchResults) {
  const readme = fs.readFileSync(readmePath, "utf8");
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`${readmePath} has no ${README_START} … ${README_END} section`);
  const filled = `${readme.slice(0, start + README_START.length)}\n${readmeSection(r).trimEnd()}\n${readme.slice(end)}`;
  fs.writeFileSync(readmePath, filled);
}

/** A call's label, numbered when the call sent several statements ("… statement 2 of 3"). */
function statementLabel(queries: ExplainedQuery[], index: number) {
  const label = queries[index]!.label;
  const same = queries.map((q, i) => (q.label === label ? i : -1)).filter((i) => i >= 0);
  return same.length > 1 ? `${label}, statement ${same.indexOf(index) + 1} of ${same.length}` : label;
}

/** Plain text in a Markdown table cell: no HTML tags (`<middle>`), no column breaks. */
const mdText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|");

/** Console output: the Markdown tables plus every plan in full. */
export function consoleReport(r: BenchResults) {
  const plans = (r.explain ?? []).map((q) => `-- ${q.label}\n-- ${q.sql}\n-- params: ${JSON.stringify(q.params)}\n${q.plan}`);
  return `${markdown(r)}\n${plans.length ? `### Plans\n\n${plans.join("\n\n")}\n` : ""}`;
}

// --- SVG (hand-written horizontal bar charts) ---

const esc = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const LABEL_WIDTH = 330;
const CHART_WIDTH = 400; // leaves room for the value text after the longest bar
const BAR_HEIGHT = 14;

function barPanel(params: {
  title: string;
  top: number;
  rows: { label: string; bars: { value: number; color: string; text: string }[] }[];
  unit: string;
}) {
  const { title, top, rows } = params;
  const rowGap = 8;
  const max = Math.max(...rows.flatMap((r) => r.bars.map((b) => b.value)), 1e-9);
  const parts: string[] = [`<text x="20" y="${top}" class="title">${esc(title)}</text>`];
  let y = top + 18;
  for (const row of rows) {
    const rowHeight = row.bars.length * BAR_HEIGHT;
    parts.push(`<text x="${LABEL_WIDTH}" y="${y + rowHeight / 2 + 4}" class="label" text-anchor="end">${esc(row.label)}</text>`);
    row.bars.forEach((bar, i) => {
      const width = Math.max(1, (bar.value / max) * CHART_WIDTH);
      const by = y + i * BAR_HEIGHT;
      parts.push(
        `<rect x="${LABEL_WIDTH + 10}" y="${by}" width="${width.toFixed(1)}" height="${BAR_HEIGHT - 2}" fill="${bar.color}" rx="2"/>`,
        `<text x="${LABEL_WIDTH + 16 + width}" y="${by + BAR_HEIGHT - 4}" class="value">${esc(bar.text)}</text>`,
      );
    });
    y += rowHeight + rowGap;
  }
  return { svg: parts.join("\n"), bottom: y };
}

const SERVER_COLORS: Record<ServerName, string> = { drf: "#15803d", "next-floor": "#111827", limit: "#9ca3af", ours: "#3b82f6" };

/**
 * The four servers on each compared GET, requests/s. Each endpoint has its own scale (they
 * differ by 1,000×), set by DRF, next-floor, ours and the goals: the limit's bar, often far
 * beyond, is then cut (a break in the bar) rather than squashing the others. On ours' bar, a
 * tick at each goal (1.5× DRF, 0.8× next-floor) shows how far it is.
 */
function comparisonPanel(a: AnchorsResult, top: number) {
  const parts: string[] = [
    `<text x="20" y="${top}" class="title">${esc(
      "Beside the reference servers: requests/s on the same GETs of the same data (a scale per endpoint; a broken bar runs off it)",
    )}</text>`,
  ];
  // Legend: a swatch per server, then the goal ticks.
  let x = 20;
  const legendY = top + 20;
  for (const name of SERVERS) {
    parts.push(
      `<rect x="${x}" y="${legendY - 10}" width="12" height="12" fill="${SERVER_COLORS[name]}" rx="2"/>`,
      `<text x="${x + 16}" y="${legendY}" class="value">${esc(SERVER_LABELS[name])}</text>`,
    );
    x += 16 + SERVER_LABELS[name].length * 7 + 18;
  }
  parts.push(
    `<line x1="${x}" y1="${legendY - 11}" x2="${x}" y2="${legendY + 2}" stroke="${SERVER_COLORS.drf}" stroke-width="2"/>`,
    `<line x1="${x + 6}" y1="${legendY - 11}" x2="${x + 6}" y2="${legendY + 2}" stroke="${SERVER_COLORS["next-floor"]}" stroke-width="2" stroke-dasharray="3 2"/>`,
    `<text x="${x + 14}" y="${legendY}" class="value">${esc(
      `on ours' bar: the goals, ${a.goals.vsDrf}× DRF (solid) and ${a.goals.vsFloor}× next-floor (dashed)`,
    )}</text>`,
  );
  let y = legendY + 16;
  for (const row of a.rows) {
    const runs = SERVERS.map((name) => ({ name, run: runOf(a, row, name) }));
    const goals = goalsOf(a, row);
    const drf = runOf(a, row, "drf");
    const floor = runOf(a, row, "next-floor");
    const ticks = [
      drf && goals.vsDrf !== undefined ? { value: drf.rps * a.goals.vsDrf, color: SERVER_COLORS.drf, dash: "" } : undefined,
      floor && goals.vsFloor !== undefined ? { value: floor.rps * a.goals.vsFloor, color: SERVER_COLORS["next-floor"], dash: ' stroke-dasharray="3 2"' } : undefined,
    ].filter((t) => t !== undefined);
    const limit = runs.find((r) => r.name === "limit")?.run?.rps ?? 0;
    const others = Math.max(...runs.filter((r) => r.name !== "limit").map((r) => r.run?.rps ?? 0), ...ticks.map((t) => t.value), 1e-9);
    const max = limit <= others * 2 ? Math.max(limit, others) : others * 1.1;
    const groupHeight = runs.length * BAR_HEIGHT;
    parts.push(`<text x="${LABEL_WIDTH - 90}" y="${y + groupHeight / 2 + 4}" class="label" text-anchor="end">${esc(row.label)}</text>`);
    runs.forEach(({ name, run }, i) => {
      const by = y + i * BAR_HEIGHT;
      const repeated = name !== "ours" && row.anchorsFrom !== undefined;
      parts.push(`<text x="${LABEL_WIDTH}" y="${by + BAR_HEIGHT - 4}" class="value" text-anchor="end">${esc(SERVER_LABELS[name])}</text>`);
      if (!run || run.requests === 0) {
        parts.push(`<text x="${LABEL_WIDTH + 10}" y="${by + BAR_HEIGHT - 4}" class="value">${run ? "no request completed" : "skipped"}</text>`);
        return;
      }
      const cut = run.rps > max;
      const width = cut ? CHART_WIDTH + 30 : Math.max(1, (run.rps / max) * CHART_WIDTH);
      let text = `${fmtAuto(run.rps)} req/s · p50 ${fmtAuto(run.latencyMs.p50)} ms`;
      if (repeated) text += " (its list figures: no paging)";
      if (name === "ours") {
        if (goals.vsDrf !== undefined) text += ` · ${fmtRatio(goals.vsDrf)} DRF ${goals.drfMet ? "✓" : "✗"}`;
        if (goals.vsFloor !== undefined) text += ` · ${fmtRatio(goals.vsFloor)} floor ${goals.floorMet ? "✓" : "✗"}`;
      }
      parts.push(
        `<rect x="${LABEL_WIDTH + 10}" y="${by}" width="${width.toFixed(1)}" height="${BAR_HEIGHT - 2}" fill="${SERVER_COLORS[name]}"${repeated ? ' fill-opacity="0.35"' : ""} rx="2"/>`,
      );
      if (cut) {
        // A break in the bar: it runs off this endpoint's scale.
        const bx = LABEL_WIDTH + 10 + CHART_WIDTH + 8;
        parts.push(`<path d="M${bx} ${by + BAR_HEIGHT} l6 -${BAR_HEIGHT + 2} h5 l-6 ${BAR_HEIGHT + 2} z" fill="#ffffff"/>`);
      }
      let textX = LABEL_WIDTH + 16 + width;
      if (name === "ours") {
        for (const tick of ticks) {
          const tx = LABEL_WIDTH + 10 + (tick.value / max) * CHART_WIDTH;
          parts.push(`<line x1="${tx.toFixed(1)}" y1="${by - 2}" x2="${tx.toFixed(1)}" y2="${by + BAR_HEIGHT}" stroke="${tick.color}" stroke-width="2"${tick.dash}/>`);
          textX = Math.max(textX, tx + 6);
        }
      }
      parts.push(`<text x="${textX.toFixed(1)}" y="${by + BAR_HEIGHT - 4}" class="value">${esc(text)}</text>`);
    });
    y += groupHeight + 10;
  }
  return { svg: parts.join("\n"), bottom: y };
}

export function svgChart(r: BenchResults) {
  const width = 1100;
  const panels: string[] = [];
  let bottom = 0;
  if (r.anchors) {
    const panel = comparisonPanel(r.anchors, bottom + 30);
    panels.push(panel.svg);
    bottom = panel.bottom;
  }
  if (r.endpoints) {
    const throughput = barPanel({
      title: `Our app, every endpoint: requests per second (${r.meta.settings.connections} connections, ${r.meta.cpus} CPUs, server and load generator on one machine)`,
      top: bottom + 30,
      unit: "req/s",
      rows: r.endpoints.map((e) => ({
        label: e.name,
        bars: [{ value: e.rps, color: "#3b82f6", text: `${fmt(e.rps)} req/s · p50 ${fmt(e.latencyMs.p50, 1)} ms · p99 ${fmt(e.latencyMs.p99, 1)} ms` }],
      })),
    });
    panels.push(throughput.svg);
    bottom = throughput.bottom;
  }
  if (r.costCurve) {
    const curve = barPanel({
      title: "Cost curve: GET /logs/?limit=50&before=<middle>, 1 connection (latency ms; must stay flat)",
      top: bottom + 30,
      unit: "ms",
      rows: r.costCurve.map((p) => ({
        label: `${fmt(p.logs, 0)}-log room`,
        bars: [
          { value: p.p50Ms, color: "#10b981", text: `p50 ${fmt(p.p50Ms, 2)} ms` },
          { value: p.p99Ms, color: "#f59e0b", text: `p99 ${fmt(p.p99Ms, 2)} ms (SQL ${fmt(p.sqlMs, 3)} ms)` },
        ],
      })),
    });
    panels.push(curve.svg);
    bottom = curve.bottom;
  }
  if (r.deletes) {
    const deletes = barPanel({
      title: "DELETE /room/{id}/ (one request; cascades to every log)",
      top: bottom + 30,
      unit: "ms",
      rows: r.deletes.map((d) => ({
        label: `${fmt(d.logs, 0)}-log room`,
        bars: [{ value: d.ms, color: "#ef4444", text: `${fmt(d.ms)} ms` }],
      })),
    });
    panels.push(deletes.svg);
    bottom = deletes.bottom;
  }
  const notes: string[] = [];
  if (r.ttft) {
    notes.push(`Time-to-first-token overhead (${r.ttft.samples} SSE sends): p50 ${fmt(r.ttft.overheadMs.p50, 2)} ms, p99 ${fmt(r.ttft.overheadMs.p99, 2)} ms`);
  }
  if (r.compression) {
    const identity = r.compression.runs.find((run) => run.requested === "identity");
    notes.push(
      `The 10,000-log answer on the wire: ${r.compression.runs
        .map((run) => `${run.answered} ${fmt(run.wireBytes / 1000, 0)} kB${run === identity ? "" : ` (${fmt(run.ratio * 100, 1)}%)`}`)
        .join(", ")}`,
    );
  }
  const load = r.meta.loadAverage;
  notes.push(...warningsOf(r).map((w) => `⚠ ${w}`));
  notes.push(
    `${r.meta.date} · ${r.meta.commit} · Node ${r.meta.node} · ${r.meta.settings.durationSec} s per endpoint · seeded ${fmt(r.meta.seed.rooms, 0)} rooms / ` +
      `${fmt(r.meta.seed.logs, 0)} logs · load average ${load.start === undefined ? "" : `${load.start} at launch, `}${load.before} → ${load.after}`,
  );
  const footerY = bottom + 24;
  const height = footerY + notes.length * 18 + 22;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', 'Noto Sans KR', sans-serif">
<style>
  .title { font-size: 14px; font-weight: 600; fill: #111827; }
  .label { font-size: 12px; fill: #374151; }
  .value { font-size: 11px; fill: #111827; }
  .note { font-size: 12px; fill: #374151; }
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
${panels.join("\n")}
${notes.map((note, i) => `<text x="20" y="${footerY + i * 18}" class="note">${esc(note)}</text>`).join("\n")}
</svg>
`;
}

/**
 * A whole run: results/latest.{json,md,svg}, a timestamped JSON, and README.md's bench section.
 * A `BENCH_ONLY` run: results/only-<part>.{json,md,svg} (gitignored), nothing else touched.
 */
export function writeResults(dir: string, results: BenchResults, readmePath?: string) {
  fs.mkdirSync(dir, { recursive: true });
  const base = results.meta.only ? `only-${results.meta.only}` : "latest";
  const files: Record<string, string> = {
    json: path.join(dir, `${base}.json`),
    md: path.join(dir, `${base}.md`),
    svg: path.join(dir, `${base}.svg`),
  };
  const json = `${JSON.stringify(results, null, 2)}\n`;
  fs.writeFileSync(files.json!, json);
  fs.writeFileSync(files.md!, `${markdown(results, `${base}.svg`)}\n`);
  fs.writeFileSync(files.svg!, svgChart(results));
  if (!results.meta.only) {
    files.stamped = path.join(dir, `${results.meta.date.replace(/[:.]/g, "-")}.json`);
    fs.writeFileSync(files.stamped, json);
    if (readmePath) {
      fillReadme(readmePath, results);
      files.readme = readmePath;
    }
  }
  return files;
}
