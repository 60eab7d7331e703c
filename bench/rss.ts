import fs from "node:fs";

/**
 * The memory of the `next start` server: VmRSS from /proc/<pid>/status. `next start`
 * renames its process to "next-server" and serves in that same process; if a future
 * version forks, the "next-server" descendant is the one that counts.
 */
export function findServerPid(rootPid: number): number {
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (readComm(pid).startsWith("next-server")) return pid;
    queue.push(...childrenOf(pid));
  }
  return rootPid;
}

/**
 * The server's pid when the stack does not expose it: the "next-server" process whose
 * environment has our port.
 */
export function findServerPidByPort(port: number): number | undefined {
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (!readComm(pid).startsWith("next-server")) continue;
    try {
      const environ = fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      if (environ.includes(`PORT=${port}`)) return pid;
    } catch {
      // gone, or not ours
    }
  }
  return undefined;
}

export function rssMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

/** Samples the RSS every `everyMs` until stopped; returns the peak seen. */
export function sampleRss(pid: number | undefined, everyMs = 200) {
  let peak = pid === undefined ? undefined : rssMb(pid);
  const timer = setInterval(() => {
    if (pid === undefined) return;
    const now = rssMb(pid);
    if (now !== undefined && (peak === undefined || now > peak)) peak = now;
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      const last = pid === undefined ? undefined : rssMb(pid);
      return { peakMb: peak, lastMb: last };
    },
  };
}

function readComm(pid: number) {
  try {
    // comm is cut at 15 characters; cmdline holds the full title ("next-server (v16…)").
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

function childrenOf(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
