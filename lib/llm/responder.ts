/** A turn of the conversation as the model sees it. */
export type ContextMessage = { role: "user" | "assistant"; content: string };

/** The token counts a model reported for one reply (docs/chat-turn.md#usage). */
export type ReplyUsage = { promptTokens: number; completionTokens: number };

/**
 * Who answers this call: the room's model and system prompt (lib/llm/models.ts). Either may be
 * left out for the responder's defaults (`LLM_MODEL`, `LLM_SYSTEM_PROMPT`).
 */
export type ReplyOptions = {
  model?: string;
  system?: string;
  /** Called once, when the reply is complete, with the counts the model reported (if any). */
  onUsage?: (usage: ReplyUsage) => void;
};

/**
 * Whatever writes the bot's replies: a real model (any OpenAI-compatible server) or the
 * offline responder. `stream` yields the reply piece by piece; it throws `ModelError`
 * when the model fails, and stops quietly (throwing `ReplyAborted`) when `signal` aborts.
 */
export interface Responder {
  readonly kind: "model" | "offline";
  stream(messages: ContextMessage[], signal: AbortSignal, options?: ReplyOptions): AsyncIterable<string>;
  /** A short title for a conversation that starts with this exchange, or undefined. */
  title(exchange: { message: string; reply: string }, signal: AbortSignal, options?: Pick<ReplyOptions, "model">): Promise<string | undefined>;
}

/** The model failed (502) or did not answer in time (504). The user's log stays. */
export class ModelError extends Error {
  constructor(
    readonly status: 502 | 504,
    message: string,
  ) {
    super(message);
    this.name = "ModelError";
  }
}

/** The caller went away (client disconnect or Stop): not an error of the model. */
export class ReplyAborted extends Error {
  constructor() {
    super("The reply was stopped.");
    this.name = "ReplyAborted";
  }
}
