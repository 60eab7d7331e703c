import { DEFAULT_ROOM_TITLE, type ChatRole, type FeedbackRating } from "@/db/schema";
import { MESSAGE_MAX, TITLE_MAX } from "@/lib/limits";

/**
 * What every import format is turned into before anything is stored (docs/api.md#export-and-import):
 * a room and its logs, validated, with every timestamp resolved. Pure: no database, no
 * environment, so the parsers are unit-tested on their own.
 */
export type ImportedLog = {
  role: ChatRole;
  message: string;
  /** Microseconds since the epoch. */
  timestampUs: number;
  stopped: boolean;
  model: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  feedback: FeedbackRating | null;
  feedbackComment: string | null;
};

export type ImportedRoom = {
  title: string;
  createdAtUs: number;
  updatedAtUs: number;
  model: string | null;
  systemPrompt: string | null;
  pinned: boolean;
  archived: boolean;
  logs: ImportedLog[];
};

/** A log as a parser found it: the timestamp may be missing (ChatGPT's `create_time: null`). */
export type DraftLog = Omit<ImportedLog, "timestampUs"> & { timestampUs: number | undefined };
export type DraftRoom = Omit<ImportedRoom, "createdAtUs" | "updatedAtUs" | "logs"> & {
  createdAtUs: number | undefined;
  updatedAtUs: number | undefined;
  logs: DraftLog[];
};

/** Why one conversation cannot be imported; the import names the conversation around it. */
export class ImportProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportProblem";
  }
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Postgres text cannot hold NUL; nothing readable is lost by dropping it. */
export const withoutNul = (text: string) => (text.includes("\u0000") ? text.replace(/\u0000/g, "") : text);

const codePoints = (text: string) => [...text].length;

/** Trimmed, on one line, cut to 100 characters (code points); blank → the default title. */
export function importedTitle(raw: string | null | undefined): string {
  const title = withoutNul(raw ?? "").replace(/\s+/g, " ").trim();
  if (!title) return DEFAULT_ROOM_TITLE;
  const points = [...title];
  return points.length > TITLE_MAX ? points.slice(0, TITLE_MAX).join("").trimEnd() : title;
}

/**
 * A message too long for a room is refused, not cut (cutting loses data silently) and not
 * split (that would break the user/bot alternation of a room): docs/api.md#export-and-import.
 */
export function checkMessageLength(message: string, where: string) {
  const length = codePoints(message);
  if (length > MESSAGE_MAX) {
    throw new ImportProblem(
      `${where} has ${length.toLocaleString("en-US")} characters; a message may have at most ${MESSAGE_MAX.toLocaleString("en-US")}.`,
    );
  }
}

// --- timestamps: microseconds since the epoch, from 1970 to 9999 (what ISO 8601 with four digits holds) ---

const MAX_US = Date.UTC(9999, 11, 31, 23, 59, 59, 999) * 1000;

/** Epoch seconds (ChatGPT's `create_time`, a float) → microseconds; undefined when out of range. */
export function usFromEpochSeconds(seconds: number): number | undefined {
  if (!Number.isFinite(seconds)) return undefined;
  const us = Math.round(seconds * 1e6);
  return us >= 0 && us <= MAX_US ? us : undefined;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * An ISO 8601 date-time with `Z` or an offset (what our exports write: `2026-11-24T09:30:12.123456Z`)
 * → microseconds, keeping all six digits. Impossible dates (`02-30`, `25:00`) are undefined.
 */
export function usFromIso(text: string): number | undefined {
  const match = ISO.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction = "", zone] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const date = new Date(ms);
  if (
    date.getUTCFullYear() !== Number(y) ||
    date.getUTCMonth() !== Number(mo) - 1 ||
    date.getUTCDate() !== Number(d) ||
    date.getUTCHours() !== Number(h) ||
    date.getUTCMinutes() !== Number(mi) ||
    date.getUTCSeconds() !== Number(s)
  ) {
    return undefined;
  }
  let offsetMinutes = 0;
  if (zone!.toUpperCase() !== "Z") {
    const digits = zone!.replace(":", "");
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 23 || minutes > 59) return undefined;
    offsetMinutes = (digits[0] === "-" ? -1 : 1) * (hours * 60 + minutes);
  }
  const us = (ms - offsetMinutes * 60_000) * 1000 + Number(fraction.slice(0, 6).padEnd(6, "0"));
  return us >= 0 && us <= MAX_US ? us : undefined;
}

/** Microseconds → `2026-11-24T09:30:12.123456Z` (what Postgres reads, and what the API writes). */
export function isoFromUs(us: number): string {
  const ms = Math.floor(us / 1000);
  const rest = String(us - ms * 1000).padStart(3, "0");
  return new Date(ms).toISOString().replace(/Z$/, `${rest}Z`);
}

/**
 * Fills in missing timestamps and keeps the conversation's order: a log without one takes
 * the previous log's (or the room's creation), and a log stamped earlier than the one before
 * it takes that one's time — logs are read in (timestamp, id) order, so the order they were
 * written in is the order they are inserted in. The room is created at its own time (else its
 * first log's) and updated no earlier than its last log (the sidebar orders by it).
 */
export function resolveTimes(draft: DraftRoom, nowUs: number): ImportedRoom {
  const start = draft.createdAtUs ?? draft.logs.find((log) => log.timestampUs !== undefined)?.timestampUs ?? draft.updatedAtUs ?? nowUs;
  const createdAtUs = draft.createdAtUs ?? start;
  let previous: number | undefined;
  const logs = draft.logs.map((log) => {
    const own = log.timestampUs ?? previous ?? start;
    const timestampUs = previous === undefined ? own : Math.max(own, previous);
    previous = timestampUs;
    return { ...log, timestampUs };
  });
  const last = logs.at(-1)?.timestampUs;
  const updatedAtUs = Math.max(draft.updatedAtUs ?? last ?? createdAtUs, last ?? Number.NEGATIVE_INFINITY);
  return { ...draft, createdAtUs, updatedAtUs, logs };
}
