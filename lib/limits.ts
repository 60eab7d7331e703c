/**
 * Every bound a client meets, in one place with no imports, so that the REST schemas, the
 * database columns, titles and the browser UI agree (docs/api.md, docs/security.md#bounds).
 */

/** Characters of a room title (after trimming); `chat_rooms.title` is varchar(100). */
export const TITLE_MAX = 100;
/** Characters of one message. */
export const MESSAGE_MAX = 32_000;
/** Characters of a user's or a token's name. */
export const NAME_MAX = 100;
/** Characters of an email address (RFC 5321). */
export const EMAIL_MAX = 254;
/** Characters of a password (argon2 takes any length; this bounds the work). */
export const PASSWORD_MAX = 256;
/** Characters of a search term (`?q=`). */
export const SEARCH_MAX = 200;
/** Items in one page (`?limit=`). */
export const PAGE_MAX = 200;
/** API tokens one user may hold. */
export const TOKENS_PER_USER_MAX = 100;
/** Bytes of a JSON request body; messages may be larger so that 32,000 characters of any script fit. */
export const BODY_MAX_BYTES = 64 * 1024;
export const MESSAGE_BODY_MAX_BYTES = 256 * 1024;
/** Characters of a room's system prompt (SPEC §11). */
export const SYSTEM_PROMPT_MAX = 4_000;
/** Characters of a model id (`chat_rooms.model`, `chat_logs.model`). */
export const MODEL_ID_MAX = 100;
/** Characters of a feedback comment on a reply. */
export const FEEDBACK_COMMENT_MAX = 1_000;
/** Room ids in one bulk delete. */
export const BULK_DELETE_MAX = 100;
/** Bytes of an import body (our export or ChatGPT's conversations.json). */
export const IMPORT_BODY_MAX_BYTES = 20 * 1024 * 1024;
/** Days `GET /auth/me/usage/?days=` may cover. */
export const USAGE_DAYS_MAX = 366;
