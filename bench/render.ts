/**
 * Re-renders results/latest.md, results/latest.svg and README.md's bench section from
 * results/latest.json, e.g. after a change to report.ts, without running the benchmark again:
 * `npx tsx bench/render.ts`. `npx tsx bench/render.ts only-anchors` redraws only-anchors.{md,svg}.
 */
import fs from "node:fs";
import path from "node:path";
import { fillReadme, markdown, svgChart, type BenchResults } from "./report";

const base = process.argv[2] ?? "latest";
const dir = path.join(__dirname, "results");
const results = JSON.parse(fs.readFileSync(path.join(dir, `${base}.json`), "utf8")) as BenchResults;
fs.writeFileSync(path.join(dir, `${base}.md`), `${markdown(results, `${base}.svg`)}\n`);
fs.writeFileSync(path.join(dir, `${base}.svg`), svgChart(results));
console.log(`re-rendered ${path.join(dir, `${base}.md`)} and ${base}.svg`);
if (base === "latest" && !results.meta.only) {
  fillReadme(path.join(__dirname, "..", "README.md"), results);
  console.log("re-filled README.md between <!-- bench:start --> and <!-- bench:end -->");
}
