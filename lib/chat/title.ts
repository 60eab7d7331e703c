import { TITLE_MAX } from "@/lib/limits";

const FALLBACK_LENGTH = 40;

/** The first message as a title: first line, cut at a word boundary, with an ellipsis. */
export function titleFromMessage(message: string): string {
  const line = message.trim().split(/\r?\n/)[0]!.replace(/\s+/g, " ").trim();
  const chars = Array.from(line);
  if (chars.length <= FALLBACK_LENGTH) return line;
  const cut = chars.slice(0, FALLBACK_LENGTH).join("");
  const space = cut.lastIndexOf(" ");
  return `${(space >= FALLBACK_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A model's title made safe to store: one line, no quotes or "Title:", at most 100 characters. */
export function cleanModelTitle(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const line = raw
    .replace(/<think>[\s\S]*?<\/think>/g, "")
    .trim()
    .split(/\r?\n/)[0]!
    .replace(/^(title|제목)\s*[:：]\s*/i, "")
    .replace(/^["'“”‘’`*#\s]+|["'“”‘’`*.\s]+$/g, "")
    .replace(/\u0000/g, "")
    .trim();
  if (!line) return undefined;
  return Array.from(line).slice(0, TITLE_MAX).join("");
}
