import { z } from "zod";
import { charField, intParam } from "./validation";

/**
 * Every request and response shape of the REST API (docs/api.md), defined once: handlers
 * validate with them, types are inferred from them, and /api/openapi.json is generated
 * from them.
 */

import {
  BULK_DELETE_MAX,
  EMAIL_MAX,
  FEEDBACK_COMMENT_MAX,
  MESSAGE_MAX,
  MODEL_ID_MAX,
  NAME_MAX,
  PAGE_MAX,
  PASSWORD_MAX,
  SEARCH_MAX,
  SYSTEM_PROMPT_MAX,
  TITLE_MAX,
  USAGE_DAYS_MAX,
} from "@/lib/limits";
import { isAllowedModel } from "@/lib/llm/models";

export { MESSAGE_MAX, PAGE_MAX, TITLE_MAX };

const title = charField({ max: TITLE_MAX }).meta({
  type: "string",
  maxLength: TITLE_MAX,
  description: "Trimmed; 1–100 characters (Unicode code points).",
  example: "제주도 여행 계획",
});

// --- requests ---


/** DRF's BooleanField: true/false (and the strings and numbers DRF also took). */
const flag = z
  .unknown()
  .transform((value, ctx) => {
    if (value === true || value === "true" || value === 1 || value === "1") return true;
    if (value === false || value === "false" || value === 0 || value === "0") return false;
    ctx.addIssue({ code: "custom", message: "Must be a valid boolean." });
    return z.NEVER;
  })
  .meta({ type: "boolean" });

const model = z
  .unknown()
  .transform((value, ctx) => {
    if (value === null) return null;
    if (typeof value !== "string" || !isAllowedModel(value.trim())) {
      ctx.addIssue({ code: "custom", message: `"${String(value).slice(0, MODEL_ID_MAX)}" is not a valid choice.` });
      return z.NEVER;
    }
    return value.trim();
  })
  .meta({
    type: ["string", "null"],
    description: "One of `GET /models/`; null = the server's default.",
    example: "gpt-4o-mini",
  });

/** Blank or null clears it (the room answers with the server's system prompt again). */
const systemPrompt = z
  .unknown()
  .transform((value) => (typeof value === "string" && value.trim() === "" ? null : value))
  .pipe(z.union([z.null(), charField({ max: SYSTEM_PROMPT_MAX, trim: false })]))
  .meta({
    type: ["string", "null"],
    maxLength: SYSTEM_PROMPT_MAX,
    description: "Replaces the server's system prompt for this room's turns; blank or null = the default.",
    example: "당신은 제주도 여행 전문가입니다. 짧게 답하세요.",
  });

const roomSettings = {
  model: model.optional(),
  system_prompt: systemPrompt.optional(),
  pinned: flag.optional().describe("Pinned rooms come first in the list."),
  archived: flag.optional().describe("Archived rooms leave the list for `?archived=true`."),
};

export const roomCreateBody = z
  .object({ title: title.optional(), model: model.optional(), system_prompt: systemPrompt.optional() })
  .meta({ id: "RoomCreate", description: "`user`, `id` and timestamps in the body are ignored." });

export const roomUpdateBody = z.object({ title, ...roomSettings }).meta({ id: "RoomUpdate" });
export const roomPatchBody = z.object({ title: title.optional(), ...roomSettings }).meta({ id: "RoomPatch" });

/** DRF's ListField of positive integers, 1–`BULK_DELETE_MAX` of them (docs/api.md#bulk-delete). */
const roomIds = z
  .unknown()
  .transform((value, ctx) => {
    const refuse = (message: string) => {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    };
    if (value === undefined) return refuse("This field is required.");
    if (value === null) return refuse("This field may not be null.");
    if (!Array.isArray(value)) return refuse(`Expected a list of items but got type "${jsonTypeName(value)}".`);
    if (value.length === 0) return refuse("This list may not be empty.");
    if (value.length > BULK_DELETE_MAX) return refuse(`Ensure this field has no more than ${BULK_DELETE_MAX} elements.`);
    const bad = value.findIndex((id) => typeof id !== "number" || !Number.isSafeInteger(id) || id < 1);
    if (bad >= 0) return refuse(`Item ${bad}: a room id must be a positive integer.`);
    return [...new Set(value as number[])];
  })
  .meta({
    type: "array",
    items: { type: "integer", minimum: 1 },
    minItems: 1,
    maxItems: BULK_DELETE_MAX,
    description: `1–${BULK_DELETE_MAX} room ids. Ids that are not the caller's rooms are ignored.`,
    example: [12, 15, 31],
  });

const jsonTypeName = (value: unknown) =>
  typeof value === "string" ? "str" : typeof value === "number" ? (Number.isInteger(value) ? "int" : "float") : typeof value === "boolean" ? "bool" : "dict";

export const bulkDeleteBody = z.object({ ids: roomIds }).meta({ id: "RoomBulkDelete" });


const message = charField({ max: MESSAGE_MAX }).meta({
  type: "string",
  maxLength: MESSAGE_MAX,
  description: "The user's message: 1–32,000 characters after trimming.",
  example: "제주도 2박 3일 일정을 짜 줘",
});

export const messageBody = z.object({ message }).meta({ id: "MessageCreate" });

export const messageEditBody = z
  .object({ message: message.describe("The message's new text: 1–32,000 characters after trimming.") })
  .meta({ id: "MessageEdit" });

/** DRF's ChoiceField: one of `choices`, else `"x" is not a valid choice.` */
const choice = <const T extends string>(choices: readonly T[]) =>
  z.unknown().transform((value, ctx): T => {
    if (value === undefined) ctx.addIssue({ code: "custom", message: "This field is required." });
    else if (value === null) ctx.addIssue({ code: "custom", message: "This field may not be null." });
    else if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as T;
    else ctx.addIssue({ code: "custom", message: `"${String(value).slice(0, 50)}" is not a valid choice.` });
    return z.NEVER;
  });

const feedbackComment = charField({ max: FEEDBACK_COMMENT_MAX, allowBlank: true });

export const feedbackBody = z
  .object({
    rating: choice(["up", "down"] as const).meta({ type: "string", enum: ["up", "down"], description: "👍 or 👎.", example: "down" }),
    comment: z
      .unknown()
      .transform((value, ctx) => {
        if (value === undefined || value === null) return null;
        const parsed = feedbackComment.safeParse(value);
        if (parsed.success) return parsed.data === "" ? null : parsed.data;
        for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message });
        return z.NEVER;
      })
      .optional()
      .meta({
        type: ["string", "null"],
        maxLength: FEEDBACK_COMMENT_MAX,
        description: "Optional, at most 1,000 characters (trimmed); blank or null = no comment.",
        example: "The dates are wrong.",
      }),
  })
  .meta({ id: "Feedback" });

const email = z
  .unknown()
  .pipe(z.string({ error: (i) => (i.input === undefined ? "This field is required." : "Not a valid string.") }))
  .transform((v) => v.trim())
  .pipe(z.email({ error: "Enter a valid email address." }).max(EMAIL_MAX, { error: "Enter a valid email address." }))
  .meta({ type: "string", format: "email", example: "minji@example.com" });

const password = z
  .unknown()
  .pipe(z.string({ error: (i) => (i.input === undefined ? "This field is required." : "Not a valid string.") }))
  .pipe(
    z
      .string()
      .min(8, { error: "This password is too short. It must contain at least 8 characters." })
      .max(PASSWORD_MAX, { error: `Ensure this field has no more than ${PASSWORD_MAX} characters.` }),
  )
  .meta({ type: "string", minLength: 8, maxLength: 256, format: "password" });

const optionalName = charField({ max: NAME_MAX, allowBlank: true })
  .optional()
  .meta({ type: "string", maxLength: NAME_MAX });

export const registerBody = z.object({ email, password, name: optionalName }).meta({ id: "Register" });

export const tokenCreateBody = z
  .object({ email, password, name: optionalName.describe("A label for the token, e.g. the client's name.") })
  .meta({ id: "TokenCreate" });

const currentPassword = z
  .unknown()
  .pipe(z.string({ error: (i) => (i.input === undefined ? "This field is required." : "Not a valid string.") }))
  .pipe(
    z
      .string()
      .min(1, { error: "This field may not be blank." })
      .max(PASSWORD_MAX, { error: `Ensure this field has no more than ${PASSWORD_MAX} characters.` }),
  )
  .meta({ type: "string", maxLength: 256, format: "password" });

export const passwordChangeBody = z
  .object({
    old_password: currentPassword.describe("The current password; a wrong one counts toward the account's failure limit."),
    new_password: password.describe("The same rules as at registration: 8–256 characters."),
  })
  .meta({ id: "PasswordChange" });

export const logsQuery = z.object({
  limit: intParam({ min: 1, max: PAGE_MAX }),
  before: intParam({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  after: intParam({ min: 1, max: Number.MAX_SAFE_INTEGER }),
});

export const roomsQuery = z.object({
  archived: z
    .enum(["true", "false"], { error: "Must be a valid boolean." })
    .optional()
    .transform((v) => v === "true"),
  limit: intParam({ min: 1, max: PAGE_MAX }),
  cursor: z.string().max(200, { error: "Invalid cursor." }).optional(),
  q: z
    .string()
    .max(SEARCH_MAX, { error: `Ensure this field has no more than ${SEARCH_MAX} characters.` })
    .refine((v) => !v.includes("\u0000"), { error: "Null characters are not allowed." })
    .optional(),
});

export const usageQuery = z.object({
  days: intParam({ min: 1, max: USAGE_DAYS_MAX }).transform((days) => days ?? 30),
});

/** `GET /room/{id}/export/?format=json|md` (docs/api.md#export-and-import); DRF's ChoiceField wording. */
export const exportQuery = z.object({
  format: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === "json") return "json" as const;
      if (value === "md") return "md" as const;
      ctx.addIssue({ code: "custom", message: `"${value.slice(0, 20)}" is not a valid choice.` });
      return z.NEVER;
    }),
});

// --- responses (documentation only: serializers build these shapes) ---

const timestamp = z.string().meta({ format: "date-time", example: "2026-11-24T09:30:12.123456Z" });

export const logSchema = z
  .object({
    id: z.number().int(),
    chatroom: z.number().int(),
    role: z.enum(["user", "bot"]),
    message: z.string(),
    timestamp,
    stopped: z.boolean().describe("True when the reply was cut short (client disconnected or Stop pressed)."),
    model: z.string().nullable().describe("Bot logs: the model that wrote the reply."),
    usage: z
      .object({ prompt_tokens: z.number().int(), completion_tokens: z.number().int() })
      .nullable()
      .describe("Bot logs: the token counts the model reported; null when it reported none."),
    feedback: z.enum(["up", "down"]).nullable().describe("Bot logs: the user's rating."),
    feedback_comment: z.string().nullable().describe("Bot logs: the comment given with the rating."),
  })
  .meta({ id: "Log" });

export const roomSchema = z
  .object({
    id: z.number().int(),
    user: z.number().int(),
    title: z.string(),
    created_at: timestamp,
    updated_at: timestamp.describe("Bumped on rename and on every new message."),
    model: z.string().nullable().describe("The model that answers the room; null = the server's default."),
    system_prompt: z.string().nullable().describe("Replaces the server's system prompt for this room; null = the default."),
    pinned: z.boolean().describe("Pinned rooms come first in `GET /room/`."),
    archived: z.boolean().describe("Archived rooms are listed only under `?archived=true`."),
  })
  .meta({ id: "Room" });

export const roomDetailSchema = roomSchema
  .extend({ chatlogs: z.array(logSchema).describe("Ascending by (timestamp, id).") })
  .meta({ id: "RoomDetail" });

export const bulkDeleteResultSchema = z
  .object({ deleted: z.array(z.number().int()).describe("The ids deleted: those of the request that were the caller's rooms.") })
  .meta({ id: "RoomBulkDeleteResult" });

export const userSchema = z
  .object({ id: z.number().int(), email: z.string(), name: z.string() })
  .meta({ id: "User" });

export const tokenSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    created_at: timestamp,
    last_used_at: timestamp.nullable(),
  })
  .meta({ id: "Token" });

export const newTokenSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    token: z.string().describe("Shown once. Send it as `Authorization: Bearer <token>`."),
    created_at: timestamp,
  })
  .meta({ id: "NewToken" });

export const shareSchema = z
  .object({
    url: z.string().describe("The link's path, `/s/<token>`: put the server's origin in front of it.").meta({ example: "/s/q8Zk3mB1xYw9TtP0aRf2Lg" }),
    created_at: timestamp.describe("When the room was shared: the page shows the room as it was then."),
  })
  .meta({ id: "Share" });

export const exchangeSchema = z.object({ user: logSchema, bot: logSchema }).meta({ id: "Exchange" });

export const modelSchema = z
  .object({
    id: z.string().describe("The id to send as a room's `model`."),
    default: z.boolean().describe("True for the model that answers rooms whose `model` is null (`LLM_MODEL`)."),
  })
  .meta({ id: "Model", example: { id: "gpt-4o-mini", default: true } });

const usageCounts = {
  replies: z.number().int().describe("Bot replies (stopped ones included)."),
  prompt_tokens: z.number().int().describe("Tokens the models reported reading; 0 for replies without usage."),
  completion_tokens: z.number().int().describe("Tokens the models reported writing."),
};

export const usageSchema = z
  .object({
    ...usageCounts,
    by_day: z
      .array(z.object({ date: z.string().meta({ format: "date", example: "2026-11-24" }), ...usageCounts }))
      .describe("Every UTC day of the window, oldest first, zeros included."),
    by_model: z
      .array(z.object({ model: z.string().nullable().describe("null: no model recorded (the offline responder)."), ...usageCounts }))
      .describe("Per model, most replies first."),
  })
  .meta({ id: "Usage" });

export const errorSchema = z
  .object({ detail: z.string() })
  .meta({ id: "Error", example: { detail: "Not found." } });

export const fieldErrorsSchema = z
  .record(z.string(), z.array(z.string()))
  .meta({ id: "FieldErrors", example: { title: ["Ensure this field has no more than 100 characters."] } });
