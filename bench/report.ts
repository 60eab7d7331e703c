import fs from "node:fs";
import path from "node:path";
import type { CostPoint, DeleteTiming } from "./cost";
import type { ExplainedQuery } from "./explain";
import type { LoadResult } from "./load";
import type { TtftResult } from "./ttft";

/** Everything one run measured: written as JSON, Markdown and an SVG chart. */
export type BenchResults = {
  meta: {
    date: string;
    commit: string;
    node: string;
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    postgres: string;
    /** 1-minute load average when the run started and ended (this machine has `cpus` cores). */
    loadAverage: { before: number; after: number };
    settings: Record<string, unknown>;
    seed: { users: number; rooms: number; logs: number; seconds: number };
    serverPid?: number;
    totalSeconds?: number;
  };
  endpoints: LoadResult[];
  ttft: TtftResult;
  costCurve: (CostPoint & { sqlMs?: number; sqlBuffers?: number })[];
  deletes: DeleteTiming[];
  explain: ExplainedQuery[];
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
    results.endpoints.map((e) => [
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

export function markdown(r: BenchResults) {
  const { meta, ttft } = r;
  const s = meta.settings;
  const out: string[] = [];
  out.push(`## Benchmark (\`npm run bench\`)`, "");
  out.push(
    `${meta.date.slice(0, 10)}, commit \`${meta.commit}\`, Node ${meta.node}, ${meta.cpus} × ${meta.cpuModel}, ` +
      `${meta.memoryGb} GB, ${meta.postgres}. \`next start\` (production build) on the same machine as the load ` +
      `generator, real Postgres and Redis, a zero-delay fake OpenAI-compatible model. Seeded: ` +
      `${fmt(meta.seed.users, 0)} users, ${fmt(meta.seed.rooms, 0)} rooms, ${fmt(meta.seed.logs, 0)} logs (in ${fmt(meta.seed.seconds)} s); ` +
      `the bench user has 1,000 rooms, three of them with 100, 10,000 and 100,000 logs. ` +
      `Load average ${meta.loadAverage.before} at the start, ${meta.loadAverage.after} at the end.`,
    "",
    `autocannon, ${s.connections} connections, ${s.durationSec} s per endpoint after a ${s.warmupSec} s warm-up ` +
      `(DELETE: exactly ${s.deletes} requests). Bearer-token auth on every request. ` +
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
    table(
      ["`DELETE /room/{id}/` of a room with", "ms"],
      r.deletes.map((d) => [`${fmt(d.logs, 0)} logs${d.status === 204 ? "" : ` (HTTP ${d.status})`}`, fmt(d.ms)]),
      ["l", "r"],
    ),
    "",
  );
  out.push(`### Query plans (EXPLAIN (ANALYZE, BUFFERS) of the SQL lib/rooms/ sends)`, "");
  out.push("The statements and full plans are in `latest.json` (`explain`) and in the console output.", "");
  out.push(
    table(
      ["query", "indexes used", "seq scans", "sort nodes", "exec ms", "buffers", "JIT"],
      r.explain.map((q, i) => [
        mdText(statementLabel(r.explain, i)),
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
  return out.join("\n");
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
  const plans = r.explain.map((q) => `-- ${q.label}\n-- ${q.sql}\n-- params: ${JSON.stringify(q.params)}\n${q.plan}`);
  return `${markdown(r)}\n### Plans\n\n${plans.join("\n\n")}\n`;
}

// --- SVG (hand-written: two horizontal bar charts) ---

const esc = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function barPanel(params: {
  title: string;
  top: number;
  rows: { label: string; bars: { value: number; color: string; text: string }[] }[];
  unit: string;
}) {
  const { title, top, rows } = params;
  const labelWidth = 330;
  const chartWidth = 400; // leaves room for the value text after the longest bar
  const barHeight = 14;
  const rowGap = 8;
  const max = Math.max(...rows.flatMap((r) => r.bars.map((b) => b.value)), 1e-9);
  const parts: string[] = [`<text x="20" y="${top}" class="title">${esc(title)}</text>`];
  let y = top + 18;
  for (const row of rows) {
    const rowHeight = row.bars.length * barHeight;
    parts.push(`<text x="${labelWidth}" y="${y + rowHeight / 2 + 4}" class="label" text-anchor="end">${esc(row.label)}</text>`);
    row.bars.forEach((bar, i) => {
      const width = Math.max(1, (bar.value / max) * chartWidth);
      const by = y + i * barHeight;
      parts.push(
        `<rect x="${labelWidth + 10}" y="${by}" width="${width.toFixed(1)}" height="${barHeight - 2}" fill="${bar.color}" rx="2"/>`,
        `<text x="${labelWidth + 16 + width}" y="${by + barHeight - 4}" class="value">${esc(bar.text)}</text>`,
      );
    });
    y += rowHeight + rowGap;
  }
  return { svg: parts.join("\n"), bottom: y };
}

export function svgChart(r: BenchResults) {
  const width = 1000;
  const throughput = barPanel({
    title: `Requests per second (${r.meta.settings.connections} connections, ${r.meta.cpus} CPUs, server and load generator on one machine)`,
    top: 30,
    unit: "req/s",
    rows: r.endpoints.map((e) => ({
      label: e.name,
      bars: [{ value: e.rps, color: "#3b82f6", text: `${fmt(e.rps)} req/s · p50 ${fmt(e.latencyMs.p50, 1)} ms · p99 ${fmt(e.latencyMs.p99, 1)} ms` }],
    })),
  });
  const curve = barPanel({
    title: "Cost curve: GET /logs/?limit=50&before=<middle>, 1 connection (latency ms; must stay flat)",
    top: throughput.bottom + 30,
    unit: "ms",
    rows: r.costCurve.map((p) => ({
      label: `${fmt(p.logs, 0)}-log room`,
      bars: [
        { value: p.p50Ms, color: "#10b981", text: `p50 ${fmt(p.p50Ms, 2)} ms` },
        { value: p.p99Ms, color: "#f59e0b", text: `p99 ${fmt(p.p99Ms, 2)} ms (SQL ${fmt(p.sqlMs, 3)} ms)` },
      ],
    })),
  });
  const deletes = barPanel({
    title: "DELETE /room/{id}/ (one request; cascades to every log)",
    top: curve.bottom + 30,
    unit: "ms",
    rows: r.deletes.map((d) => ({
      label: `${fmt(d.logs, 0)}-log room`,
      bars: [{ value: d.ms, color: "#ef4444", text: `${fmt(d.ms)} ms` }],
    })),
  });
  const ttft = r.ttft;
  const footerY = deletes.bottom + 24;
  const height = footerY + 40;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', 'Noto Sans KR', sans-serif">
<style>
  .title { font-size: 14px; font-weight: 600; fill: #111827; }
  .label { font-size: 12px; fill: #374151; }
  .value { font-size: 11px; fill: #111827; }
  .note { font-size: 12px; fill: #374151; }
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
${throughput.svg}
${curve.svg}
${deletes.svg}
<text x="20" y="${footerY}" class="note">${esc(
    `Time-to-first-token overhead (${ttft.samples} SSE sends): p50 ${fmt(ttft.overheadMs.p50, 2)} ms, p99 ${fmt(ttft.overheadMs.p99, 2)} ms`,
  )}</text>
<text x="20" y="${footerY + 18}" class="note">${esc(
    `${r.meta.date} · ${r.meta.commit} · Node ${r.meta.node} · seeded ${fmt(r.meta.seed.rooms, 0)} rooms / ` +
      `${fmt(r.meta.seed.logs, 0)} logs · load average ${r.meta.loadAverage.before} → ${r.meta.loadAverage.after}`,
  )}</text>
</svg>
`;
}

export function writeResults(dir: string, results: BenchResults) {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = results.meta.date.replace(/[:.]/g, "-");
  const files = {
    json: path.join(dir, "latest.json"),
    stamped: path.join(dir, `${stamp}.json`),
    md: path.join(dir, "latest.md"),
    svg: path.join(dir, "latest.svg"),
  };
  const json = `${JSON.stringify(results, null, 2)}\n`;
  fs.writeFileSync(files.json, json);
  fs.writeFileSync(files.stamped, json);
  fs.writeFileSync(files.md, `${markdown(results)}\n`);
  fs.writeFileSync(files.svg, svgChart(results));
  return files;
}
