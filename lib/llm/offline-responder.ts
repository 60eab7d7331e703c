import { ReplyAborted, type Responder } from "./responder";

const REPLY_KO =
  "안녕하세요! 지금은 AI 모델이 연결되어 있지 않아서, 이 답장은 자동으로 보내는 안내입니다. " +
  "메시지는 저장되었고 대화 기록도 그대로 남습니다. 모델을 연결하려면 `.env`에 " +
  "`LLM_BASE_URL`(예: Ollama는 `http://localhost:11434/v1`, OpenAI는 `https://api.openai.com/v1`), " +
  "`LLM_API_KEY`, `LLM_MODEL`을 설정하고 서버를 다시 시작하세요.";

const REPLY_EN =
  "Hello! No AI model is connected, so this is an automatic reply, not an answer. " +
  "Your message was saved and the conversation history works as usual. To connect a model, set " +
  "`LLM_BASE_URL` (e.g. `http://localhost:11434/v1` for Ollama or `https://api.openai.com/v1` for OpenAI), " +
  "`LLM_API_KEY` and `LLM_MODEL` in `.env`, then restart the server.";

const HANGUL = /[\u3131-\u318e\uac00-\ud7a3]/;

/**
 * The built-in responder used when no model is configured (docs/configuration.md#embedded-defaults): says plainly that it
 * is not an AI and how to connect one, streamed word by word like a real reply.
 */
export function createOfflineResponder(delayMs = 12): Responder {
  return {
    kind: "offline",
    async *stream(messages, signal) {
      const last = messages.at(-1)?.content ?? "";
      const reply = HANGUL.test(last) ? REPLY_KO : REPLY_EN;
      for (const piece of reply.match(/\S+\s*/g) ?? []) {
        if (signal.aborted) throw new ReplyAborted();
        yield piece;
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
      if (signal.aborted) throw new ReplyAborted();
    },
    async title() {
      return undefined; // the first message becomes the title
    },
  };
}
