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
