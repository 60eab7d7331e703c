import { hash, verify } from "@node-rs/argon2";

// argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's recommended minimum).
export const hashPassword = (password: string) => hash(password);

// Verified against when the email is unknown, so a miss costs as long as a wrong password
// and response times do not reveal which emails have accounts.
const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$KRyQwY0x+Mp9U8VAyktpog$HyMkx9uH8PjrcgjXnnV6it6NAjBJEW1unQ+C/sWol3M";

export async function verifyPassword(passwordHash: string | null | undefined, password: string) {
  try {
    const ok = await verify(passwordHash ?? DUMMY_HASH, password);
    return ok && Boolean(passwordHash);
  } catch {
    return false;
  }
}
