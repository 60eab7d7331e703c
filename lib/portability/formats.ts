import { ApiError } from "@/lib/errors";
import { isChatGptConversation, parseChatGptConversation } from "./chatgpt";
import { ImportProblem, isPlainObject, resolveTimes, type DraftRoom, type ImportedRoom } from "./conversation";
import { checkExportVersion, isNativeEntry, parseNativeEntry } from "./native";

/**
 * What an import body holds (docs/api.md#export-and-import), every conversation of it
 * validated before anything is stored: one that cannot be read → 400
 * `{"detail": "Conversation 3 (\"title\"): …why…"}` and the whole import is refused.
 *
 * | body | read as |
 * |---|---|
 * | `{"version": 1, "room": Room, "logs": [Log…]}` | our room export: one room |
 * | `{"version": 1, "rooms": [{"room", "logs"}…]}` | our account export |
 * | `[{"mapping", "current_node", …}…]` | ChatGPT's `conversations.json` |
 * | `{"mapping", "current_node", …}` | one ChatGPT conversation |
 */
export function roomsFromImport(body: unknown, nowUs: number): ImportedRoom[] {
  return entriesOf(body).map((entry, index) => {
    let draft: DraftRoom;
    try {
      draft = entry.parse();
    } catch (error) {
      if (!(error instanceof ImportProblem)) throw error;
      throw new ApiError("bad_request", `Conversation ${index + 1} (${nameOf(entry.raw)}): ${error.message}`);
    }
    return resolveTimes(draft, nowUs);
  });
}

type Entry = { raw: unknown; parse: () => DraftRoom };

const UNKNOWN_FORMAT =
  'Not a file this server can import: expected our room or account export ({"version": 1, …}) ' +
  "or ChatGPT's conversations.json (a list of conversations with a mapping).";

function entriesOf(body: unknown): Entry[] {
  if (Array.isArray(body)) {
    return body.map((raw) => ({
      raw,
      parse: () => {
        if (isNativeEntry(raw)) return parseNativeEntry(raw);
        if (isPlainObject(raw)) return parseChatGptConversation(raw); // "has no mapping" if it is not one
        throw new ImportProblem("is neither a ChatGPT conversation nor a room of our export.");
      },
    }));
  }
  if (!isPlainObject(body)) throw new ApiError("bad_request", UNKNOWN_FORMAT);
  if (isChatGptConversation(body)) return [{ raw: body, parse: () => parseChatGptConversation(body) }];
  if ("rooms" in body || isNativeEntry(body)) {
    const unsupported = checkExportVersion(body);
    if (unsupported) throw new ApiError("bad_request", unsupported);
  }
  if ("rooms" in body) {
    if (!Array.isArray(body.rooms)) throw new ApiError("bad_request", "rooms is not a list.");
    return body.rooms.map((raw) => ({
      raw,
      parse: () => {
        if (!isNativeEntry(raw)) throw new ImportProblem('is not {"room": …, "logs": […]}.');
        return parseNativeEntry(raw);
      },
    }));
  }
  if (isNativeEntry(body)) return [{ raw: body, parse: () => parseNativeEntry(body) }];
  throw new ApiError("bad_request", UNKNOWN_FORMAT);
}

/** `"Trip to Jeju"` for the error message: the conversation's own title, as the user knows it. */
function nameOf(raw: unknown): string {
  const title = isPlainObject(raw) ? (isPlainObject(raw.room) ? raw.room.title : raw.title) : undefined;
  if (typeof title !== "string" || !title.trim()) return "untitled";
  const points = [...title.replace(/\s+/g, " ").trim()];
  return JSON.stringify(points.length > 60 ? `${points.slice(0, 59).join("")}…` : points.join(""));
}
