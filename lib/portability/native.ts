import { FEEDBACK_COMMENT_MAX, MODEL_ID_MAX, SYSTEM_PROMPT_MAX } from "@/lib/limits";
import {
  checkMessageLength,
  importedTitle,
  ImportProblem,
  isPlainObject,
  usFromIso,
  withoutNul,
  type DraftLog,
  type DraftRoom,
} from "./conversation";

/**
 * Our own exports (docs/api.md#export-and-import): a room `{"version": 1, "room": Room, "logs": [Log…]}`
 * and an account `{"version": 1, "rooms": [{"room", "logs"}…]}`. Everything a Room and a Log
 * carry comes back (title, times, settings, each log's role, text, time, stopped flag, model,
 * usage and feedback); ids and the owner do not: the rooms are new, and the caller's.
 */
export const EXPORT_VERSION = 1;

/** A `{room, logs}` entry of either export. */
export function isNativeEntry(value: unknown): value is { room: unknown; logs: unknown } {
  return isPlainObject(value) && "room" in value && "logs" in value;
}

export function checkExportVersion(value: Record<string, unknown>): string | undefined {
  if (value.version === EXPORT_VERSION) return undefined;
  return `Unsupported export version ${JSON.stringify(value.version ?? null)?.slice(0, 20)}; this server reads version ${EXPORT_VERSION}.`;
}

export function parseNativeEntry(entry: { room: unknown; logs: unknown }): DraftRoom {
  const room = entry.room;
  if (!isPlainObject(room)) throw new ImportProblem("room is not an object.");
  if (!Array.isArray(entry.logs)) throw new ImportProblem("logs is not a list.");

  const title = optional(room, "title", "room.title", isString);
  const systemPrompt = optional(room, "system_prompt", "room.system_prompt", isString);
  if (systemPrompt !== null && [...systemPrompt].length > SYSTEM_PROMPT_MAX) {
    throw new ImportProblem(`room.system_prompt has more than ${SYSTEM_PROMPT_MAX.toLocaleString("en-US")} characters.`);
  }
  const logs = entry.logs.map((log, index) => parseLog(log, `logs[${index}]`));
  logs.forEach((log, index) => checkMessageLength(log.message, `logs[${index}].message`));
  return {
    title: importedTitle(title),
    createdAtUs: time(room.created_at, "room.created_at"),
    updatedAtUs: time(room.updated_at, "room.updated_at"),
    // Whether the model is still allowed here is the importer's call (lib/portability/import.ts).
    model: modelId(room.model, "room.model"),
    systemPrompt: systemPrompt === null ? null : withoutNul(systemPrompt).trim() || null,
    pinned: optional(room, "pinned", "room.pinned", isBoolean) ?? false,
    archived: optional(room, "archived", "room.archived", isBoolean) ?? false,
    logs,
  };
}

function parseLog(raw: unknown, where: string): DraftLog {
  if (!isPlainObject(raw)) throw new ImportProblem(`${where} is not an object.`);
  if (raw.role !== "user" && raw.role !== "bot") throw new ImportProblem(`${where}.role must be "user" or "bot".`);
  if (typeof raw.message !== "string") throw new ImportProblem(`${where}.message is not a string.`);
  const usage = raw.usage;
  if (usage !== undefined && usage !== null && !isPlainObject(usage)) throw new ImportProblem(`${where}.usage is not an object.`);
  const feedback = optional(raw, "feedback", `${where}.feedback`, (v): v is "up" | "down" => v === "up" || v === "down");
  const comment = optional(raw, "feedback_comment", `${where}.feedback_comment`, isString);
  if (comment !== null && [...comment].length > FEEDBACK_COMMENT_MAX) {
    throw new ImportProblem(`${where}.feedback_comment has more than ${FEEDBACK_COMMENT_MAX.toLocaleString("en-US")} characters.`);
  }
  return {
    role: raw.role,
    message: withoutNul(raw.message),
    timestampUs: time(raw.timestamp, `${where}.timestamp`),
    stopped: optional(raw, "stopped", `${where}.stopped`, isBoolean) ?? false,
    model: modelId(raw.model, `${where}.model`),
    promptTokens: usage ? tokenCount(usage.prompt_tokens, `${where}.usage.prompt_tokens`) : null,
    completionTokens: usage ? tokenCount(usage.completion_tokens, `${where}.usage.completion_tokens`) : null,
    feedback,
    feedbackComment: comment === null ? null : withoutNul(comment),
  };
}

const isString = (v: unknown): v is string => typeof v === "string";
const isBoolean = (v: unknown): v is boolean => typeof v === "boolean";

/** A field that may be missing or null; any other value must pass `check`. */
function optional<T>(object: Record<string, unknown>, key: string, name: string, check: (v: unknown) => v is T): T | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (!check(value)) throw new ImportProblem(`${name} has the wrong type.`);
  return value;
}

function time(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const us = typeof value === "string" ? usFromIso(value) : undefined;
  if (us === undefined) throw new ImportProblem(`${name} is not an ISO 8601 date-time.`);
  return us;
}

function modelId(value: unknown, name: string): string | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value !== "string" || [...value].length > MODEL_ID_MAX || value.includes("\u0000")) {
    throw new ImportProblem(`${name} is not a model id (a string of at most ${MODEL_ID_MAX} characters).`);
  }
  return value;
}

/** `chat_logs.prompt_tokens` is a Postgres integer. */
function tokenCount(value: unknown, name: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 2_147_483_647) {
    throw new ImportProblem(`${name} is not a whole number of tokens.`);
  }
  return value;
}
