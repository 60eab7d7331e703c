import { z } from "zod";
import { charField, intParam } from "./validation";

/**
 * Every request and response shape of the REST API (docs/api.md), defined once: handlers
 * validate with them, types are inferred from them, and /api/openapi.json is generated
 * from them.
 */

import {
  EMAIL_MAX,
  MESSAGE_MAX,
  MODEL_ID_MAX,
  NAME_MAX,
  PAGE_MAX,
  PASSWORD_MAX,
  SEARCH_MAX,
  SYSTEM_PROMPT_MAX,
  TITLE_MAX,
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

export const roomCreateBody = z
  .object({ title: title.optional() })
  .meta({ id: "RoomCreate", description: "`user`, `id` and timestamps in the body are ignored." });

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

export const roomUpdateBody = z.object({ title, ...roomSettings }).meta({ id: "RoomUpdate" });
export const roomPatchBody = z.object({ title: title.optional(), ...roomSettings }).meta({ id: "RoomPatch" });

export const messageBody = z
  .object({
    message: charField({ max: MESSAGE_MAX }).meta({
      type: "string",
      maxLength: MESSAGE_MAX,
      description: "The user's message: 1–32,000 characters after trimming.",
      example: "제주도 2박 3일 일정을 짜 줘",
    }),
  })
  .meta({ id: "MessageCreate" });

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

export const exchangeSchema = z.object({ user: logSchema, bot: logSchema }).meta({ id: "Exchange" });

export const errorSchema = z
  .object({ detail: z.string() })
  .meta({ id: "Error", example: { detail: "Not found." } });

export const fieldErrorsSchema = z
  .record(z.string(), z.array(z.string()))
  .meta({ id: "FieldErrors", example: { title: ["Ensure this field has no more than 100 characters."] } });
