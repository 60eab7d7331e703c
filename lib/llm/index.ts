import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { env } from "@/lib/env";
import { fetchWithConnectionRetry } from "./connection-retry";
import { createModelResponder } from "./model-responder";
import { createOfflineResponder } from "./offline-responder";
import type { Responder } from "./responder";

export { ModelError, ReplyAborted, type ContextMessage, type ReplyUsage, type Responder } from "./responder";

const globalResponder = globalThis as unknown as { __ainfoResponder?: Responder };

/** The configured model (`LLM_BASE_URL`: OpenAI, Ollama, vLLM, LM Studio…), else offline. */
export function getResponder(): Responder {
  globalResponder.__ainfoResponder ??= createConfiguredResponder();
  return globalResponder.__ainfoResponder;
}

function createConfiguredResponder(): Responder {
  const config = env();
  if (!config.LLM_BASE_URL) return createOfflineResponder();
  const provider = createOpenAICompatible({
    name: "llm",
    baseURL: config.LLM_BASE_URL,
    apiKey: config.LLM_API_KEY,
    fetch: fetchWithConnectionRetry(),
    // Streaming replies report their token counts only when asked: `stream_options:
    // {include_usage: true}`, answered by a last chunk with `usage` (docs/chat-turn.md#usage).
    includeUsage: true,
  });
  // One provider (one connection pool); a chat model per call, for the room's own model.
  return createModelResponder((id) => provider.chatModel(id), {
    model: config.LLM_MODEL,
    system: config.LLM_SYSTEM_PROMPT,
    maxOutputTokens: config.LLM_MAX_TOKENS,
    timeoutMs: config.LLM_TIMEOUT_MS,
  });
}
