import { hash, verify } from "@node-rs/argon2";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/errors";

/**
 * argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's recommended minimum).
 * Each run costs ~19 MiB and a thread for tens of milliseconds, so a flood of sign-ins must
 * not run them all at once (docs/security.md): at most ARGON2_MAX_CONCURRENT per process; the rest
 * wait their turn up to ARGON2_QUEUE_TIMEOUT_MS, then get 503 with Retry-After.
 */
export const hashPassword = (password: string) => withArgon2Slot(() => hash(password));

// Verified against when the email is unknown, so a miss costs as long as a wrong password
// and response times do not reveal which emails have accounts.
const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$KRyQwY0x+Mp9U8VAyktpog$HyMkx9uH8PjrcgjXnnV6it6NAjBJEW1unQ+C/sWol3M";

export async function verifyPassword(passwordHash: string | null | undefined, password: string) {
  return withArgon2Slot(async () => {
    try {
      const ok = await verify(passwordHash ?? DUMMY_HASH, password);
      return ok && Boolean(passwordHash);
    } catch {
      return false;
    }
  });
}

/** Waiting callers beyond this many are refused at once: memory stays bounded under a flood. */
const MAX_WAITING = 256;

/** A counting semaphore whose waiters give up after `timeoutMs`. */
export class Semaphore {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly max: () => number,
    private readonly timeoutMs: () => number,
    private readonly maxWaiting = MAX_WAITING,
  ) {}

  /** Runs `task` when a slot is free; false if none freed up in time (the task did not run). */
  async run<T>(task: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    if (!(await this.acquire())) return { ok: false };
    try {
      return { ok: true, value: await task() };
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<boolean> {
    if (this.running < this.max()) {
      this.running += 1;
      return Promise.resolve(true);
    }
    const timeoutMs = this.timeoutMs();
    if (timeoutMs <= 0 || this.waiting.length >= this.maxWaiting) return Promise.resolve(false);
    return new Promise((resolve) => {
      const grant = () => {
        clearTimeout(timer);
        resolve(true); // the slot is handed over: `running` stays as it was
      };
      const timer = setTimeout(() => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        resolve(false);
      }, timeoutMs);
      this.waiting.push(grant);
    });
  }

  private release() {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}

// One per process (globalThis: Next bundles route files separately).
const holder = globalThis as unknown as { __ainfoArgon2?: Semaphore };
const argon2Slots = (holder.__ainfoArgon2 ??= new Semaphore(
  () => env().ARGON2_MAX_CONCURRENT,
  () => env().ARGON2_QUEUE_TIMEOUT_MS,
));

async function withArgon2Slot<T>(task: () => Promise<T>): Promise<T> {
  const result = await argon2Slots.run(task);
  if (!result.ok) {
    throw new ApiError("unavailable", "The server is busy checking passwords. Please try again shortly.", {
      headers: { "Retry-After": "1" },
    });
  }
  return result.value;
}
