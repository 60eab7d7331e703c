import { env } from "@/lib/env";
import { MODEL_ID_MAX } from "@/lib/limits";

/**
 * The models a room may use (docs/configuration.md#models): `LLM_MODELS`, comma-separated,
 * else `LLM_MODEL` alone. `LLM_MODEL` is the default and is always allowed, listed first.
 */
export function allowedModels(): { id: string; default: boolean }[] {
  const config = env();
  const listed = (config.LLM_MODELS ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter((id) => id !== "" && [...id].length <= MODEL_ID_MAX);
  const ids = [...new Set([config.LLM_MODEL, ...listed])];
  return ids.map((id) => ({ id, default: id === config.LLM_MODEL }));
}

export const isAllowedModel = (id: string) => allowedModels().some((model) => model.id === id);

/** The model that answers a room: its own choice while that is still allowed, else the default. */
export function modelForRoom(room: { model: string | null }): string {
  return room.model !== null && isAllowedModel(room.model) ? room.model : env().LLM_MODEL;
}

/** The system prompt of a room's turns: its own (SPEC §11), else `LLM_SYSTEM_PROMPT`. */
export function systemPromptForRoom(room: { systemPrompt: string | null }): string {
  return room.systemPrompt ?? env().LLM_SYSTEM_PROMPT;
}
