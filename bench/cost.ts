import { performance } from "node:perf_hooks";
import { config } from "./config";
import { api } from "./http";
import { runLoad, round } from "./load";
import type { BigRoom } from "./seed";

/**
 * The cost curve: a page of 50 logs from the middle of rooms of 100, 10,000 and 100,000
 * logs (keyset paging: must cost the same whatever the room's size), on one connection so
 * the latency is the request's own, not queueing; and the DELETE of whole rooms (cascade:
 * grows with the logs, by nature).
 */
export type CostPoint = {
  logs: number;
  roomId: number;
  before: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
};

export async function logsPageCurve(baseUrl: string, token: string, rooms: BigRoom[], serverPid?: number) {
  const points: CostPoint[] = [];
  for (const room of rooms) {
    const result = await runLoad(
      baseUrl,
      {
        name: `logs page (${room.logs} logs)`,
        method: "GET",
        path: () => `/api/chatbot/room/${room.roomId}/logs/?limit=50&before=${room.middleLogId}`,
        token,
        connections: 1,
        durationSec: config.costDurationSec,
        warmupAmount: 50,
      },
      serverPid,
    );
    points.push({
      logs: room.logs,
      roomId: room.roomId,
      before: room.middleLogId,
      rps: result.rps,
      p50Ms: result.latencyMs.p50,
      p99Ms: result.latencyMs.p99,
      requests: result.requests,
      non2xx: result.non2xx,
    });
  }
  return points;
}

export type DeleteTiming = { logs: number; roomId: number; ms: number; status: number };

/** One DELETE /room/{id}/ per room, timed end to end (204 expected). */
export async function timeDeletes(baseUrl: string, token: string, rooms: BigRoom[]): Promise<DeleteTiming[]> {
  const timings: DeleteTiming[] = [];
  for (const room of rooms) {
    const started = performance.now();
    const res = await api(baseUrl, "DELETE", `/room/${room.roomId}/`, { token });
    timings.push({ logs: room.logs, roomId: room.roomId, ms: round(performance.now() - started, 1), status: res.status });
  }
  return timings;
}
