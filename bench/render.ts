/**
 * Re-renders results/latest.md and results/latest.svg from results/latest.json, e.g. after a
 * change to report.ts, without running the benchmark again: `npx tsx bench/render.ts`.
 */
import fs from "node:fs";
import path from "node:path";
import { markdown, svgChart, type BenchResults } from "./report";

const dir = path.join(__dirname, "results");
const results = JSON.parse(fs.readFileSync(path.join(dir, "latest.json"), "utf8")) as BenchResults;
fs.writeFileSync(path.join(dir, "latest.md"), `${markdown(results)}\n`);
fs.writeFileSync(path.join(dir, "latest.svg"), svgChart(results));
console.log(`re-rendered ${path.join(dir, "latest.md")} and latest.svg`);
