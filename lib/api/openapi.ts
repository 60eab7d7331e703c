import { z } from "zod";
import { USAGE_DAYS_MAX } from "@/lib/limits";
import * as schemas from "./schemas";

/**
 * The OpenAPI 3.1 document of /api/chatbot (docs/api.md), built from the same zod schemas the
 * handlers validate with: a rule changed there changes here.
 */
const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const jsonContent = (schema: object) => ({ "application/json": { schema } });

const errors = {
  "401": { description: "No or invalid credentials.", content: jsonContent(ref("Error")) },
  "404": { description: "Not found, or not yours.", content: jsonContent(ref("Error")) },
  "400": { description: "Validation error, DRF-shaped.", content: jsonContent(ref("FieldErrors")) },
  "413": { description: "Body over 64 KiB (256 KiB for messages, so 32,000 characters of any script fit).", content: jsonContent(ref("Error")) },
  "415": { description: "Body is not JSON.", content: jsonContent(ref("Error")) },
  "429": { description: "Rate-limited; see `Retry-After`.", content: jsonContent(ref("Error")) },
  "503": { description: "Busy (password checks saturated) or the database is unreachable; see `Retry-After`.", content: jsonContent(ref("Error")) },
};
const idempotencyKey = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "1–255 printable ASCII characters. A repeat of the same key by the same user within 24 h does nothing new: " +
    "JSON mode answers the first request's status and body (waiting for it if it is still running, with " +
    "`Idempotent-Replayed: true`); SSE mode follows the turn like `/stream/`, or replays `user` then `done` when it " +
    "is over. A request refused before it started (400, 404, 429) saves nothing. The same key with a different " +
    "request → 422 `{\"detail\": \"Idempotency-Key reused with a different request.\"}`.",
  schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x20-\\x7e]+$" },
};
const idempotencyErrors = {
  "422": { description: "The Idempotency-Key was used with a different request.", content: jsonContent(ref("Error")) },
};

const pick = (...codes: (keyof typeof errors)[]) => Object.fromEntries(codes.map((c) => [c, errors[c]]));

const idParam = (name: string, what: string) => ({
  name,
  in: "path",
  required: true,
  description: `The ${what}'s id. Anything that is not a positive integer is a 404.`,
  schema: { type: "integer", minimum: 1 },
});
const query = (name: string, description: string, schema: object) => ({ name, in: "query", required: false, description, schema });
const linkHeader = {
  Link: {
    description: 'Adjacent pages when paging: `<…>; rel="next"`, `<…>; rel="prev"` (RFC 8288).',
    schema: { type: "string" },
  },
};

/** A `$ref` to the component generated from this schema's `.meta({ id })`. */
function bodySchema(schema: z.ZodType) {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error("Request schemas need an id to be documented.");
  return ref(id);
}

function componentSchemas() {
  const all = z.toJSONSchema(z.globalRegistry, {
    io: "input",
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Record<string, unknown>> };
  return Object.fromEntries(
    Object.entries(all.schemas).map(([id, { $schema: _drop, $id: _id, ...schema }]) => [id, schema]),
  );
}

export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "AInfo Chat API",
      version: "1.0.0",
      description:
        "Chat rooms, their logs and the bot's replies. Wire-compatible with the original Django REST Framework " +
        "service: every path answers with and without the trailing slash, errors are `{\"detail\": …}` or " +
        "`{\"field\": [messages]}`. Authenticate with `Authorization: Bearer <token>` (mint one at " +
        "`POST /auth/token/`) or the browser session cookie.",
    },
    servers: [{ url: `${serverUrl}/api/chatbot` }],
    security: [{ bearer: [] }, { session: [] }],
    paths: {
      "/auth/register/": {
        post: {
          summary: "Create an account",
          description: "Off when the server sets `ALLOW_REGISTRATION=false` (403).",
          security: [],
          requestBody: { required: true, content: jsonContent(bodySchema(schemas.registerBody)) },
          responses: { "201": { description: "Created.", content: jsonContent(ref("User")) }, ...pick("400", "413", "415", "429") },
        },
      },
      "/auth/token/": {
        post: {
          summary: "Mint a personal API token",
          description:
            "The token is in this response only; the server keeps just its SHA-256 hash. At most 100 tokens per user " +
            "(the 101st → 400 `non_field_errors`). Limited per client IP and, for failed passwords, per account: " +
            "after too many failures the account answers 429 from any address until `Retry-After`.",
          security: [],
          requestBody: { required: true, content: jsonContent(bodySchema(schemas.tokenCreateBody)) },
          responses: { "201": { description: "Created.", content: jsonContent(ref("NewToken")) }, ...pick("400", "413", "415", "429", "503") },
        },
      },
      "/auth/tokens/": {
        get: {
          summary: "List your tokens (no secrets)",
          responses: { "200": { description: "OK.", content: jsonContent({ type: "array", items: ref("Token") }) }, ...pick("401") },
        },
      },
      "/auth/tokens/{id}/": {
        delete: {
          summary: "Revoke a token",
          parameters: [idParam("id", "token")],
          responses: { "204": { description: "Revoked." }, ...pick("401", "404") },
        },
      },
      "/auth/password/": {
        post: {
          summary: "Change your password",
          description:
            "Checks `old_password` (a wrong one → 400 `{\"old_password\": […]}` and counts toward the account's " +
            "failed-password limit), sets `new_password` (the same rules as at registration), ends every other session " +
            "and deletes every API token, the one used for this call included. A caller signed in with the session " +
            "cookie gets a renewed cookie and stays signed in.",
          requestBody: { required: true, content: jsonContent(bodySchema(schemas.passwordChangeBody)) },
          responses: { "204": { description: "Changed." }, ...pick("400", "401", "413", "415", "429", "503") },
        },
      },
      "/auth/me/": {
        get: {
          summary: "Who you are",
          responses: { "200": { description: "OK.", content: jsonContent(ref("User")) }, ...pick("401") },
        },
        delete: {
          summary: "Delete your account",
          description:
            "Deletes the account with its rooms, logs, histories and tokens; every session and token stops working at " +
            "once. Accounts with a password must confirm it: `{\"password\": \"…\"}` (a wrong one counts toward the " +
            "account's failed-password limit).",
          responses: { "204": { description: "Deleted." }, ...pick("400", "401", "413", "415", "429") },
        },
      },
      "/auth/me/usage/": {
        get: {
          summary: "Your replies and tokens, per day and per model",
          description:
            "Summed over your bot logs of the last `days` UTC days, today included. `by_day` lists every day of the " +
            "window (zeros included), oldest first. Token counts are what the model server reported for each reply; " +
            "a reply without them (the offline responder, a stopped reply) counts with 0 tokens. Titles are not counted.",
          parameters: [query("days", `Days to cover, 1–${USAGE_DAYS_MAX} (default 30).`, { type: "integer", minimum: 1, maximum: USAGE_DAYS_MAX, default: 30 })],
          responses: { "200": { description: "OK.", content: jsonContent(ref("Usage")) }, ...pick("400", "401") },
        },
      },
      "/models/": {
        get: {
          summary: "The models a room may use",
          description:
            "The server's allow-list (`LLM_MODELS`, else `LLM_MODEL` alone), the default first and marked. A room's " +
            "`model` (PATCH `/room/{id}/`) must be one of these ids, or null for the default.",
          responses: { "200": { description: "OK.", content: jsonContent({ type: "array", items: ref("Model") }) }, ...pick("401") },
        },
      },
      "/auth/me/export/": {
        get: {
          summary: "Export everything",
          description: ACCOUNT_EXPORT_DESCRIPTION,
          responses: {
            "200": {
              description: "A download (`Content-Disposition: attachment`), streamed.",
              content: jsonContent(ref("AccountExport")),
            },
            ...pick("401"),
          },
        },
      },
      "/room/import/": {
        post: {
          summary: "Import rooms: our exports or ChatGPT's conversations.json",
          description: IMPORT_DESCRIPTION,
          requestBody: {
            required: true,
            content: jsonContent({
              oneOf: [ref("RoomExport"), ref("AccountExport"), { type: "array", items: ref("ChatGptConversation") }, ref("ChatGptConversation")],
            }),
          },
          responses: {
            "201": { description: "Created: the new rooms, in the order of the file.", content: jsonContent({ type: "array", items: ref("Room") }) },
            "400": {
              description: 'Not an export we read, or a conversation that cannot be imported: `{"detail": "Conversation 3 (\\"title\\"): …why…"}`. Nothing is stored.',
              content: jsonContent(ref("Error")),
            },
            "413": { description: "Body over 20 MiB.", content: jsonContent(ref("Error")) },
            ...pick("401", "415", "429"),
          },
        },
      },
      "/room/": {
        get: {
          summary: "Your rooms, pinned first, then most recently active first",
          description:
            "Pinned rooms first, then the rest, each by recent activity. Archived rooms are left out unless " +
            "`archived=true`, which lists only them. Without `limit`, every room. With it, keyset pages linked by " +
            "the `Link` header; the cursors carry the pinned flag, so paging crosses from pinned to unpinned rooms " +
            "with no gap or repeat.",
          parameters: [
            query("archived", "`true`: only archived rooms; `false` (default): only the others.", { type: "boolean", default: false }),
            query("limit", "Page size, 1–200.", { type: "integer", minimum: 1, maximum: 200 }),
            query("cursor", "Opaque cursor from a `Link` header.", { type: "string" }),
            query("q", "Case-insensitive substring of the title or of any message (Korean too).", { type: "string", maxLength: 200 }),
          ],
          responses: {
            "200": { description: "OK.", headers: linkHeader, content: jsonContent({ type: "array", items: ref("Room") }) },
            ...pick("400", "401"),
          },
        },
        post: {
          summary: "Create a room",
          description:
            "The owner is always the caller. Without a title the room is called `새 채팅`. `model` and `system_prompt` " +
            "may be set at once, with the same rules as in PATCH.",
          parameters: [idempotencyKey],
          requestBody: { required: false, content: jsonContent(bodySchema(schemas.roomCreateBody)) },
          responses: {
            "201": { description: "Created.", content: jsonContent(ref("Room")) },
            ...pick("400", "401", "413", "415", "429"),
            ...idempotencyErrors,
          },
        },
      },
      "/room/bulk-delete/": {
        post: {
          summary: "Delete several rooms at once",
          description:
            "Deletes those of `ids` that are the caller's rooms, with their logs and the bot's memory of them, in one " +
            "transaction. Ids of other users' rooms or of no room are ignored as if they did not exist. " +
            "`deleted` lists the ids deleted, in the order given.",
          requestBody: { required: true, content: jsonContent(bodySchema(schemas.bulkDeleteBody)) },
          responses: {
            "200": { description: "OK.", content: jsonContent(ref("RoomBulkDeleteResult")) },
            ...pick("400", "401", "413", "415", "429"),
          },
        },
      },
      "/room/{id}/": {
        parameters: [idParam("id", "room")],
        get: {
          summary: "One room with all its logs",
          responses: { "200": { description: "OK.", content: jsonContent(ref("RoomDetail")) }, ...pick("401", "404") },
        },
        patch: {
          summary: "Rename a room",
          requestBody: { required: true, content: jsonContent(bodySchema(schemas.roomPatchBody)) },
          responses: { "200": { description: "OK.", content: jsonContent(ref("Room")) }, ...pick("400", "401", "404", "413", "415") },
        },
        put: {
          summary: "Rename a room (title required)",
          requestBody: { required: true, content: jsonContent(bodySchema(schemas.roomUpdateBody)) },
          responses: { "200": { description: "OK.", content: jsonContent(ref("Room")) }, ...pick("400", "401", "404", "413", "415") },
        },
        delete: {
          summary: "Delete a room, its logs and the bot's memory of it",
          responses: { "204": { description: "Deleted." }, ...pick("401", "404") },
        },
      },
      "/room/{id}/logs/": {
        get: {
          summary: "The room's logs, ascending by (timestamp, id)",
          description:
            "Without `limit`, every log. With `limit`: the newest N, or the N just older than `before`, or " +
            "just newer than `after` (log ids). Adjacent pages are in the `Link` header.",
          parameters: [
            idParam("id", "room"),
            query("limit", "Page size, 1–200.", { type: "integer", minimum: 1, maximum: 200 }),
            query("before", "A log id of this room.", { type: "integer", minimum: 1 }),
            query("after", "A log id of this room.", { type: "integer", minimum: 1 }),
          ],
          responses: {
            "200": { description: "OK.", headers: linkHeader, content: jsonContent({ type: "array", items: ref("Log") }) },
            ...pick("400", "401", "404"),
          },
        },
      },
      "/room/{id}/export/": {
        get: {
          summary: "Export a room (a download)",
          description: ROOM_EXPORT_DESCRIPTION,
          parameters: [
            idParam("id", "room"),
            query("format", "`json` (default) or `md`.", { type: "string", enum: ["json", "md"], default: "json" }),
          ],
          responses: {
            "200": {
              description: "A download (`Content-Disposition: attachment`), streamed.",
              headers: {
                "Content-Disposition": {
                  description: "`attachment; filename=\"<ascii slug>.json\"; filename*=UTF-8''<the title, percent-encoded>.json`",
                  schema: { type: "string" },
                },
              },
              content: { ...jsonContent(ref("RoomExport")), "text/markdown": { schema: { type: "string" } } },
            },
            ...pick("400", "401", "404"),
          },
        },
      },
      "/room/{id}/messages/": {
        post: {
          summary: "Send a message and get the bot's reply",
          description: MESSAGES_DESCRIPTION,
          parameters: [idParam("id", "room"), idempotencyKey],
          requestBody: { required: true, content: jsonContent(bodySchema(schemas.messageBody)) },
          responses: {
            "200": {
              description: "`Accept: text/event-stream`: the reply as Server-Sent Events (see above).",
              content: { "text/event-stream": { schema: { type: "string" } } },
            },
            "201": { description: "`Accept: application/json`: both logs once the reply is complete.", content: jsonContent(ref("Exchange")) },
            "502": { description: "The model failed. The user's log is kept; no bot log.", content: jsonContent(ref("Error")) },
            "504": { description: "The model timed out. The user's log is kept; no bot log.", content: jsonContent(ref("Error")) },
            ...pick("400", "401", "404", "413", "415", "429"),
            ...idempotencyErrors,
          },
        },
      },
      "/room/{id}/regenerate/": {
        post: {
          summary: "Answer the last message again",
          description:
            "Deletes the room's last reply (if the last log is the bot's) and answers the last user message again, " +
            "streamed or as JSON exactly like `/messages/`, in the room's turn. No body.",
          parameters: [idParam("id", "room"), idempotencyKey],
          responses: {
            "200": { description: "`Accept: text/event-stream`: the new reply as Server-Sent Events.", content: { "text/event-stream": { schema: { type: "string" } } } },
            "201": { description: "`Accept: application/json`: both logs once the reply is complete.", content: jsonContent(ref("Exchange")) },
            "502": { description: "The model failed.", content: jsonContent(ref("Error")) },
            "504": { description: "The model timed out.", content: jsonContent(ref("Error")) },
            ...pick("400", "401", "404", "429"),
            ...idempotencyErrors,
          },
        },
      },
      "/room/{id}/logs/{log_id}/": {
        patch: {
          summary: "Edit your message and answer it again",
          description: EDIT_DESCRIPTION,
          parameters: [idParam("id", "room"), idParam("log_id", "log"), idempotencyKey],
          requestBody: { required: true, content: jsonContent(bodySchema(schemas.messageEditBody)) },
          responses: {
            "200": {
              description: "`Accept: text/event-stream`: the new reply as Server-Sent Events (`user` carries the edited Log).",
              content: { "text/event-stream": { schema: { type: "string" } } },
            },
            "201": { description: "`Accept: application/json`: the edited Log and the new reply once it is complete.", content: jsonContent(ref("Exchange")) },
            "400": {
              description:
                "Validation error (`{\"message\": […]}`), or the log is a reply: `{\"detail\": \"Only your own messages can be edited.\"}`.",
              content: jsonContent({ anyOf: [ref("FieldErrors"), ref("Error")] }),
            },
            "502": { description: "The model failed. The edit is kept; no bot log.", content: jsonContent(ref("Error")) },
            "504": { description: "The model timed out. The edit is kept; no bot log.", content: jsonContent(ref("Error")) },
            ...pick("401", "404", "413", "415", "429"),
            ...idempotencyErrors,
          },
        },
      },
      "/room/{id}/logs/{log_id}/feedback/": {
        parameters: [idParam("id", "room"), idParam("log_id", "log")],
        put: {
          summary: "Rate a reply 👍/👎",
          description:
            "Sets the rating and the optional comment of one of the bot's replies (a blank or missing comment is " +
            "stored as null). On your own message → 400 `{\"detail\": \"Only replies can be rated.\"}`. Does not " +
            "change the room's `updated_at`.",
          requestBody: { required: true, content: jsonContent(bodySchema(schemas.feedbackBody)) },
          responses: {
            "200": { description: "The rated Log (`feedback`, `feedback_comment`).", content: jsonContent(ref("Log")) },
            "400": {
              description: "Validation error (`rating`, `comment`), or the log is not a reply (`detail`).",
              content: jsonContent({ anyOf: [ref("FieldErrors"), ref("Error")] }),
            },
            ...pick("401", "404", "413", "415", "429"),
          },
        },
        delete: {
          summary: "Clear a reply's rating",
          description: "Clears `feedback` and `feedback_comment`. On your own message → 400.",
          responses: { "204": { description: "Cleared." }, "400": { description: "Not a reply.", content: jsonContent(ref("Error")) }, ...pick("401", "404", "429") },
        },
      },
      "/room/{id}/stream/": {
        get: {
          summary: "Follow the reply in progress",
          description: STREAM_DESCRIPTION,
          parameters: [idParam("id", "room")],
          responses: {
            "200": { description: "A reply is in progress: Server-Sent Events (see above).", content: { "text/event-stream": { schema: { type: "string" } } } },
            "204": { description: "Nothing in progress in this room." },
            ...pick("401", "404"),
          },
        },
      },
      "/room/{id}/stop/": {
        post: {
          summary: "Stop the reply in progress",
          description:
            "Stops the room's reply in progress, on whichever server it runs. The partial reply is stored with " +
            "`stopped: true` and every stream following it ends with `done` carrying that Log. Answers once it is " +
            "stored: `{\"stopped\": true, \"bot\": Log}` (`\"bot\": null` when nothing had been said yet), or " +
            "`{\"stopped\": false}` when nothing was in progress. No body.",
          parameters: [idParam("id", "room")],
          responses: {
            "200": { description: "OK.", content: jsonContent(ref("StopResult")) },
            ...pick("401", "404"),
          },
        },
      },
      "/room/{id}/share/": {
        parameters: [idParam("id", "room")],
        get: {
          summary: "The room's share link",
          description: "404 when the room is not shared (or not yours).",
          responses: { "200": { description: "Shared.", content: jsonContent(ref("Share")) }, ...pick("401", "404") },
        },
        post: {
          summary: "Share the room (a read-only public link)",
          description: SHARE_DESCRIPTION,
          responses: {
            "201": { description: "Shared now: a new link and snapshot.", content: jsonContent(ref("Share")) },
            "200": { description: "Already shared: the same link, the snapshot unchanged.", content: jsonContent(ref("Share")) },
            ...pick("401", "404", "429"),
          },
        },
        delete: {
          summary: "Stop sharing the room",
          description:
            "The link answers 404 from the next request on. 204 whether or not the room was shared, so a repeat is " +
            "harmless; sharing again later makes a new link with a new snapshot. No body.",
          responses: { "204": { description: "Not shared (any more)." }, ...pick("401", "404", "429") },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "A personal API token (`ainfo_…`)." },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
      schemas: {
        ...componentSchemas(),
        ...exportSchemas(),
        StopResult: {
          type: "object",
          required: ["stopped"],
          properties: {
            stopped: { type: "boolean", description: "Whether a reply in progress was stopped." },
            bot: { description: "The stopped reply's Log; null when nothing had been said yet.", anyOf: [ref("Log"), { type: "null" }] },
          },
        },
      },
    },
  };
}

export const MESSAGES_DESCRIPTION = `The message waits for the room's turn (one reply at a time per room, on every
server), is stored when its turn begins, then the bot's reply is generated with the room's recent history as
context. The reply belongs to the room: a client that disconnects does not stop it (it is stored in full and
can be followed with \`GET /room/{id}/stream/\`); \`POST /room/{id}/stop/\` does.

With \`Accept: text/event-stream\` the reply streams as Server-Sent Events:

- \`event: user\` — \`data\` is the stored user Log.
- \`event: delta\` — \`data\` is \`{"text": "…"}\`, the next piece of the reply.
- \`event: title\` — \`data\` is the Room, when this exchange gave the room its title.
- \`event: done\` — \`data\` is the stored bot Log. The stream ends.
- \`event: error\` — \`data\` is \`{"detail": "…", "status": 502|504}\`. No bot log was stored. The stream ends.

With \`Accept: application/json\` (or no Accept) the response is \`201 {"user": Log, "bot": Log}\` once the
reply is complete (\`bot\` is the stopped Log, or null, when it was stopped), or 502/504 \`{"detail"}\`.`;

export const SHARE_DESCRIPTION = `Makes a link, \`/s/<token>\` (128 random bits), to a read-only page that anyone who has it can
open without signing in: the room's title and messages **as they were now** (later messages and renames do not
appear), Markdown rendered safely, marked \`noindex\`. Calling it again answers 200 with the same link and the same
snapshot; to publish a newer state, stop sharing and share again (a new link). Deleting the room kills the link.
No body.`;

export const EDIT_DESCRIPTION = `Replaces the text of one of your messages and answers it again: in the room's turn
(after any reply in progress), in one transaction, the message gets its new text (it keeps its id and its
timestamp, so its place in the room), every later log of the room is deleted, and the room's history (the
model's memory) is invalidated; the context is then rebuilt from the logs before the message, and the reply is
generated and stored as for \`POST /room/{id}/messages/\`, in the same two response modes. The SSE \`user\`
event (and \`user\` in JSON mode) is the edited Log. A reply's log cannot be edited (400); a log of another
room, or of a room that is not yours, is a 404.`;

export const STREAM_DESCRIPTION = `When a reply is in progress in the room — started by any client, on any server —
answers 200 with Server-Sent Events:

- \`event: snapshot\` — \`data\` is \`{"user": Log, "text": "<the reply so far>"}\`.
- then the same \`delta\`, \`title\`, \`done\` and \`error\` events as \`POST /room/{id}/messages/\`.

\`done\` carries the bot Log (\`null\` when the reply was stopped before it said anything). Nothing in
progress → 204. A reply whose server died ends with \`event: error\` \`{"status": 503}\`.`;

/** The export documents and what the import reads (docs/api.md#export-and-import). */
function exportSchemas() {
  const entry = {
    type: "object",
    required: ["room", "logs"],
    properties: { room: ref("Room"), logs: { type: "array", items: ref("Log"), description: "Ascending by (timestamp, id)." } },
  };
  return {
    RoomExport: { ...entry, required: ["version", "room", "logs"], properties: { version: { const: 1 }, ...entry.properties } },
    AccountExport: {
      type: "object",
      required: ["version", "rooms"],
      properties: { version: { const: 1 }, rooms: { type: "array", items: entry, description: "Every room of the account, in id order." } },
    },
    ChatGptConversation: {
      type: "object",
      description:
        "One conversation of ChatGPT's `conversations.json`. Only the fields read are listed; the others are ignored.",
      required: ["mapping", "current_node"],
      properties: {
        title: { type: ["string", "null"] },
        create_time: { type: ["number", "null"], description: "Seconds since 1970." },
        update_time: { type: ["number", "null"] },
        current_node: { type: "string", description: "The leaf of the branch that is imported." },
        mapping: {
          type: "object",
          additionalProperties: {
            type: "object",
            properties: {
              parent: { type: ["string", "null"] },
              children: { type: "array", items: { type: "string" } },
              message: {
                type: ["object", "null"],
                properties: {
                  author: { type: "object", properties: { role: { type: "string", description: "`user` and `assistant` are kept." } } },
                  create_time: { type: ["number", "null"] },
                  content: {
                    type: "object",
                    properties: { content_type: { type: "string", description: "`text` and `multimodal_text` are kept." }, parts: { type: "array" } },
                  },
                  recipient: { type: "string" },
                  metadata: { type: "object" },
                },
              },
            },
          },
        },
      },
    },
  };
}

export const ROOM_EXPORT_DESCRIPTION = `The room as a file to keep or to import elsewhere, streamed.

- \`format=json\` (default): \`{"version": 1, "room": Room, "logs": [Log…]}\` — what \`POST /room/import/\` reads back.
- \`format=md\`: \`# <title>\`, then each message under \`### You · <time> UTC\` or \`### AInfo · <time> UTC\`, its text as written.

Another user's room is a 404; any other \`format\` → 400 \`{"format": ["\\"pdf\\" is not a valid choice."]}\`.`;

export const ACCOUNT_EXPORT_DESCRIPTION = `Every room of the account with all its logs, as one JSON document
\`{"version": 1, "rooms": [{"room": Room, "logs": [Log…]}…]}\`. Streamed: rooms and logs are read in keyset pages as the
client downloads, so the server's memory stays flat whatever the account's size. Not a snapshot: a message sent during
the download may or may not be in it. \`POST /room/import/\` reads it back.`;

export const IMPORT_DESCRIPTION = `Imports rooms from a JSON body of up to 20 MiB:

- our room export (\`GET /room/{id}/export/\`) or account export (\`GET /auth/me/export/\`): titles, times, settings
  (a model this server does not offer becomes the default) and every log with its role, text, time, stopped flag, model,
  usage and feedback;
- ChatGPT's \`conversations.json\` (or one conversation of it): the branch ending at \`current_node\` (walked up through
  \`parent\`), its user and assistant messages with \`text\` content (the text parts of \`multimodal_text\`, voice
  transcriptions); system, tool, hidden and empty messages, tool calls, code, browsing results, reasoning and
  attachments are skipped; consecutive messages of one side become one log. \`create_time\` (seconds) become the times.

Every conversation is checked before anything is stored: one that cannot be read → 400
\`{"detail": "Conversation 3 (\\"title\\"): …why…"}\` and nothing of the import is stored. A message over 32,000
characters is refused, not cut. Titles are trimmed and cut to 100 characters (blank → \`새 채팅\`). Each conversation
is then stored in its own transaction, as a new room of the caller that starts with no bot memory. Counted as a write.`;
