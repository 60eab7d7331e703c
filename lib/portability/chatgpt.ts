import { MODEL_ID_MAX } from "@/lib/limits";
import {
  checkMessageLength,
  importedTitle,
  ImportProblem,
  isPlainObject,
  usFromEpochSeconds,
  withoutNul,
  type DraftLog,
  type DraftRoom,
} from "./conversation";

/**
 * One conversation of ChatGPT's `conversations.json` (Settings → Data controls → Export):
 *
 *     {title, create_time, update_time, current_node,
 *      mapping: {<id>: {id, parent, children, message: null | {author: {role}, create_time,
 *                        content: {content_type, parts}, metadata, recipient}}}}
 *
 * `mapping` is a tree: every edit of a message and every regenerated reply starts a branch,
 * and `current_node` is the leaf of the branch the user last saw. That branch is the
 * conversation: walk up from `current_node` through `parent` to the root, then read it
 * downwards (docs/api.md#export-and-import). What is kept of it:
 * - user and assistant messages whose content is `text`, or `multimodal_text`'s text parts
 *   (and voice transcriptions); images, files and other attachments are skipped;
 * - not system, tool or hidden messages (the root's system prompt, custom instructions),
 *   not an assistant's calls to a tool (`recipient` other than `all`: code, browsing), not
 *   code, execution output, browsing results or reasoning;
 * - not blank texts. Consecutive messages of one side (an answer written around a tool call)
 *   become one log, so the room reads user, bot, user, bot… like any other.
 * Timestamps are each message's `create_time` (epoch seconds); the assistant's `model_slug`
 * is kept as the log's model.
 */
export function isChatGptConversation(value: unknown): boolean {
  return isPlainObject(value) && "mapping" in value;
}

export function parseChatGptConversation(raw: unknown): DraftRoom {
  if (!isPlainObject(raw)) throw new ImportProblem("is not an object.");
  const title = raw.title;
  if (title !== undefined && title !== null && typeof title !== "string") throw new ImportProblem("title is not a string.");
  const createdAtUs = epochField(raw.create_time, "create_time");
  const updatedAtUs = epochField(raw.update_time, "update_time");

  const mapping = raw.mapping;
  if (mapping === undefined || mapping === null) throw new ImportProblem("has no mapping.");
  if (!isPlainObject(mapping)) throw new ImportProblem("mapping is not an object.");
  const current = raw.current_node;
  if (current === undefined || current === null) throw new ImportProblem("has no current_node.");
  if (typeof current !== "string") throw new ImportProblem("current_node is not a string.");
  if (!Object.hasOwn(mapping, current)) throw new ImportProblem(`current_node "${short(current)}" is not in the mapping.`);

  const logs: DraftLog[] = [];
  for (const [id, node] of branch(mapping, current)) {
    const message = messageOf(id, node);
    if (!message) continue;
    const last = logs.at(-1);
    if (last && last.role === message.role) {
      // One turn written around a tool call: stamped, like any reply, when it was finished.
      last.message = `${last.message}\n\n${message.text}`;
      last.model ??= message.model;
      last.timestampUs = message.timestampUs ?? last.timestampUs;
    } else {
      logs.push({
        role: message.role,
        message: message.text,
        timestampUs: message.timestampUs,
        stopped: false,
        model: message.model,
        promptTokens: null,
        completionTokens: null,
        feedback: null,
        feedbackComment: null,
      });
    }
  }
  logs.forEach((log, index) => checkMessageLength(log.message, `Message ${index + 1} (${log.role === "user" ? "user" : "assistant"})`));

  return {
    title: importedTitle(title as string | null | undefined),
    createdAtUs,
    updatedAtUs,
    model: null,
    systemPrompt: null,
    pinned: false,
    archived: false,
    logs,
  };
}

/** The nodes from the root down to `leaf`, following `parent`. */
function branch(mapping: Record<string, unknown>, leaf: string): [string, Record<string, unknown>][] {
  const path: [string, Record<string, unknown>][] = [];
  const seen = new Set<string>();
  let id = leaf;
  for (;;) {
    if (seen.has(id)) throw new ImportProblem(`the parents of node "${short(id)}" form a cycle.`);
    seen.add(id);
    const node = mapping[id];
    if (!isPlainObject(node)) throw new ImportProblem(`node "${short(id)}" is not an object.`);
    path.push([id, node]);
    const parent = node.parent;
    if (parent === undefined || parent === null) break;
    if (typeof parent !== "string") throw new ImportProblem(`node "${short(id)}": parent is not a string.`);
    if (!Object.hasOwn(mapping, parent)) throw new ImportProblem(`node "${short(id)}": its parent "${short(parent)}" is not in the mapping.`);
    id = parent;
  }
  return path.reverse();
}

type Kept = { role: "user" | "bot"; text: string; timestampUs: number | undefined; model: string | null };

/** The node's message if it is one to keep; undefined for everything skipped. */
function messageOf(id: string, node: Record<string, unknown>): Kept | undefined {
  const message = node.message;
  if (message === undefined || message === null) return undefined; // the root, or a placeholder
  const where = `node "${short(id)}"`;
  if (!isPlainObject(message)) throw new ImportProblem(`${where}: message is not an object.`);
  const author = message.author;
  if (!isPlainObject(author) || typeof author.role !== "string") throw new ImportProblem(`${where}: message.author.role is not a string.`);
  const content = message.content;
  if (!isPlainObject(content) || typeof content.content_type !== "string") {
    throw new ImportProblem(`${where}: message.content.content_type is not a string.`);
  }
  const timestampUs = epochField(message.create_time, `${where}: message.create_time`);
  const metadata = isPlainObject(message.metadata) ? message.metadata : {};

  if (author.role !== "user" && author.role !== "assistant") return undefined; // system, tool
  if (metadata.is_visually_hidden_from_conversation === true) return undefined;
  if (typeof message.recipient === "string" && message.recipient !== "all") return undefined; // a call to a tool
  const type = content.content_type;
  if (type !== "text" && type !== "multimodal_text") return undefined; // code, execution_output, browsing, thoughts…

  const parts = content.parts;
  if (!Array.isArray(parts)) throw new ImportProblem(`${where}: message.content.parts is not a list.`);
  const texts: string[] = [];
  parts.forEach((part, index) => {
    if (typeof part === "string") texts.push(part);
    else if (isPlainObject(part)) {
      // Voice conversations keep what was said as a transcription part; images, files and
      // audio itself are attachments we cannot carry over.
      if (part.content_type === "audio_transcription" && typeof part.text === "string") texts.push(part.text);
    } else if (part !== null) {
      throw new ImportProblem(`${where}: part ${index + 1} of message.content.parts is neither text nor an attachment.`);
    }
  });
  const text = withoutNul(texts.filter((t) => t.trim() !== "").join("\n\n"));
  if (!text.trim()) return undefined;

  const slug = metadata.model_slug;
  const model = author.role === "assistant" && typeof slug === "string" && slug && [...slug].length <= MODEL_ID_MAX ? slug : null;
  return { role: author.role === "user" ? "user" : "bot", text, timestampUs, model };
}

function epochField(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const us = typeof value === "number" ? usFromEpochSeconds(value) : undefined;
  if (us === undefined) throw new ImportProblem(`${name} is not a time (seconds since 1970).`);
  return us;
}

/** Node ids are UUIDs; a hostile file's could be anything, and the error must stay short. */
const short = (id: string) => (id.length > 64 ? `${id.slice(0, 61)}…` : id);
