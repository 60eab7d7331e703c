/**
 * LangChain's stored-message format, as written by `RedisChatMessageHistory` in Python
 * (`message_to_dict`) and JS (`mapChatMessagesToStoredMessages`): a Redis list under
 * `message_store:<session id>`, newest first (LPUSH), each item one JSON object.
 * Keeping it byte-compatible lets a LangChain worker share a room's memory with us.
 */
export type HistoryMessage = { role: "human" | "ai"; content: string };

type StoredMessage = {
  type: string;
  data: { content: unknown; [key: string]: unknown };
};

export function toStoredMessage(message: HistoryMessage): string {
  const data: Record<string, unknown> = {
    content: message.content,
    additional_kwargs: {},
    response_metadata: {},
    type: message.role,
    name: null,
    id: null,
    example: false,
  };
  if (message.role === "ai") {
    data.tool_calls = [];
    data.invalid_tool_calls = [];
    data.usage_metadata = null;
  }
  return JSON.stringify({ type: message.role, data });
}

/** Parses one list item; items we cannot use (system, tool, malformed) are skipped. */
export function fromStoredMessage(raw: string): HistoryMessage | null {
  let parsed: StoredMessage;
  try {
    parsed = JSON.parse(raw) as StoredMessage;
  } catch {
    return null;
  }
  const role = parsed?.type;
  if (role !== "human" && role !== "ai") return null;
  const content = parsed.data?.content;
  if (typeof content === "string") return { role, content };
  // LangChain allows content as a list of parts; keep the text ones.
  if (Array.isArray(content)) {
    const text = content
      .map((part) => (typeof part === "string" ? part : (part as { text?: unknown })?.text))
      .filter((t): t is string => typeof t === "string")
      .join("");
    return { role, content: text };
  }
  return null;
}

/** Redis returns the newest item first; callers want chronological order. */
export function fromRedisList(items: string[]): HistoryMessage[] {
  return items
    .map(fromStoredMessage)
    .filter((m): m is HistoryMessage => m !== null)
    .reverse();
}
