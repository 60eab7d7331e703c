import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, freePort } from "../support/stack";

/**
 * docs/security.md: a production server without a usable AUTH_SECRET or NEXTAUTH_URL refuses to
 * start — a non-zero exit and one line saying why — instead of answering 500 to everything.
 */
async function startWith(env: Record<string, string | undefined>) {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ainfo-startup-"));
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1" };
  for (const key of ["AUTH_SECRET", "NEXTAUTH_SECRET", "NEXTAUTH_URL", "DATABASE_URL", "REDIS_URL", "UPSTASH_REDIS_REST_URL"]) delete childEnv[key];
  for (const [key, value] of Object.entries(env)) if (value !== undefined) childEnv[key] = value;
  const child = spawn(
    process.execPath,
    ["--require", path.join(ROOT, "tests/support/exit-with-parent.cjs"), path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port)],
    { cwd: ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdout.on("data", () => {});
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // Knock meanwhile, as a load balancer would: the server must never answer.
  const answers: number[] = [];
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + 60_000;
  while (!done && Date.now() < deadline) {
    try {
      answers.push((await fetch(`http://127.0.0.1:${port}/api/health`)).status);
    } catch {
      // not listening (yet, or any more)
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!done) child.kill("SIGKILL");
  const code = await exited;
  fs.rmSync(dataDir, { recursive: true, force: true });
  const lines = stderr.split("\n").filter((line) => line.includes("[startup]"));
  return { code, answers, lines, stderr };
}

const GOOD_SECRET = "x".repeat(32);

describe("production start-up without the settings it cannot run without", () => {
  it.each([
    ["AUTH_SECRET missing", { NEXTAUTH_URL: "http://localhost:3000" }, /AUTH_SECRET is not set/],
    ["AUTH_SECRET too short", { NEXTAUTH_URL: "http://localhost:3000", AUTH_SECRET: "x".repeat(31) }, /AUTH_SECRET is too short \(31 characters, at least 32\)/],
    ["NEXTAUTH_SECRET (the alias) too short", { NEXTAUTH_URL: "http://localhost:3000", NEXTAUTH_SECRET: "short" }, /AUTH_SECRET is too short/],
    ["NEXTAUTH_URL missing", { AUTH_SECRET: GOOD_SECRET }, /NEXTAUTH_URL is not set/],
    ["NEXTAUTH_URL not a URL", { AUTH_SECRET: GOOD_SECRET, NEXTAUTH_URL: "chat.example.com" }, /NEXTAUTH_URL is not an http\(s\) URL/],
  ])("%s → exits non-zero with one line saying why", async (_name, env, reason) => {
    const result = await startWith(env);
    expect(result.code, result.stderr).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.lines, result.stderr).toHaveLength(1);
    expect(result.lines[0]).toMatch(/^\[startup\] refusing to start: /);
    expect(result.lines[0]).toMatch(reason);
    expect(result.answers.filter((status) => status !== 0)).toEqual([]);
  }, 90_000);
});
