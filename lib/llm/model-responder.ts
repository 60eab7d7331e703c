import { generateText, streamText, type LanguageModel, type LanguageModelUsage } from "ai";
import { ModelError, ReplyAborted, type ContextMessage, type Responder, type ReplyUsage } from "./responder";

export type ModelResponderOptions = {
  /** The model and system prompt of a call that names none (`LLM_MODEL`, `LLM_SYSTEM_PROMPT`). */
  model: string;
  system: string;
  maxOutputTokens: number;
  /** Longest silence tolerated from the model: before the first piece and between pieces. */
  timeoutMs: number;
};

export const TITLE_PROMPT =
  "Write a short conversation title (at most 6 words) for the exchange below, in the language of the " +
  "user's message. Answer with the title only: no quotes, no trailing punctuation.";

/**
 * Replies from a language model through the Vercel AI SDK (docs/configuration.md#embedded-defaults).
 * `modelFor` gives the model of an id (one provider, a chat model per call), so each room can be
 * answered by its own model (docs/chat-turn.md#model-and-system-prompt).
 */
export function createModelResponder(modelFor: (id: string) => LanguageModel, options: ModelResponderOptions): Responder {
  return {
    kind: "model",
    async *stream(messages, signal, call = {}) {
      const watchdog = new Watchdog(options.timeoutMs, signal);
      try {
        const result = streamText({
          model: modelFor(call.model ?? options.model),
          system: call.system ?? options.system,
          messages,
          maxOutputTokens: options.maxOutputTokens,
          maxRetries: 0,
          abortSignal: watchdog.signal,
          onError: () => {}, // surfaced below as a ModelError, logged by the caller if at all
        });
        for await (const part of result.fullStream) {
          watchdog.reset();
          if (part.type === "text-delta" && part.text) yield part.text;
          else if (part.type === "finish") {
            const usage = toReplyUsage(part.totalUsage);
            if (usage) call.onUsage?.(usage);
          } else if (part.type === "error") throw part.error;
          else if (part.type === "abort") break;
        }
        watchdog.throwIfStopped();
      } catch (error) {
        watchdog.throwIfStopped();
        throw toModelError(error);
      } finally {
        watchdog.dispose();
      }
    },

    async title({ message, reply }, signal, call = {}) {
      const watchdog = new Watchdog(options.timeoutMs, signal);
      try {
        const { text } = await generateText({
          model: modelFor(call.model ?? options.model),
          system: TITLE_PROMPT,
          messages: [{ role: "user", content: `User: ${message.slice(0, 2_000)}\n\nAssistant: ${reply.slice(0, 2_000)}` }],
          maxOutputTokens: 32,
          maxRetries: 0,
          abortSignal: watchdog.signal,
        });
        return text;
      } catch {
        return undefined; // a title is a nicety: fall back to the message itself
      } finally {
        watchdog.dispose();
      }
    },
  };
}

/**
 * The AI SDK's usage as we store it: null-free counts, or undefined when the model reported
 * none (a server that ignores `stream_options.include_usage` sends no usage chunk).
 */
function toReplyUsage(usage: LanguageModelUsage | undefined): ReplyUsage | undefined {
  if (!usage || (usage.inputTokens === undefined && usage.outputTokens === undefined)) return undefined;
  return { promptTokens: tokenCount(usage.inputTokens), completionTokens: tokenCount(usage.outputTokens) };
}

/** A count fit for an integer column, whatever a model server sends (a float, a negative, a huge number). */
const tokenCount = (n: number | undefined) => (n !== undefined && Number.isFinite(n) && n > 0 ? Math.min(Math.round(n), 2 ** 31 - 1) : 0);

/** Aborts when the caller aborts, or when the model is silent for `timeoutMs`. */
class Watchdog {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private timedOut = false;
  private readonly onCallerAbort = () => this.controller.abort();

  constructor(
    private readonly timeoutMs: number,
    private readonly caller: AbortSignal,
  ) {
    caller.addEventListener("abort", this.onCallerAbort);
    if (caller.aborted) this.controller.abort();
    this.reset();
  }

  get signal() {
    return this.controller.signal;
  }

  reset() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.timeoutMs);
  }

  throwIfStopped() {
    if (this.caller.aborted) throw new ReplyAborted();
    if (this.timedOut) throw new ModelError(504, `The model did not answer within ${this.timeoutMs / 1000} seconds.`);
  }

  dispose() {
    clearTimeout(this.timer);
    this.caller.removeEventListener("abort", this.onCallerAbort);
  }
}

/**
 * What the client is told when the model fails (docs/security.md): a status at most, never the
 * model server's host, address or error text ("connect ECONNREFUSED 10.0.0.7:11434"). The
 * detail goes to the server log, where the operator can act on it.
 */
export function toModelError(error: unknown): ModelError {
  if (error instanceof ModelError) return error;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  console.error(`[llm] model call failed: ${describe(error)}`);
  if (typeof status === "number" && status >= 100 && status <= 599) {
    return new ModelError(502, `The model is unavailable: the model server answered ${status}.`);
  }
  return new ModelError(502, "The model is unavailable.");
}

/** One line for the log: the error and its causes (fetch hides the socket error in `cause`). */
function describe(error: unknown, depth = 0): string {
  if (!(error instanceof Error) || depth > 3) return String(error);
  const code = (error as { code?: unknown }).code;
  const own = `${error.name}: ${error.message}${typeof code === "string" ? ` (${code})` : ""}`;
  return error.cause ? `${own} <- ${describe(error.cause, depth + 1)}` : own;
}

export type { ContextMessage };
