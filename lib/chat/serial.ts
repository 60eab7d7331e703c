/**
 * Runs tasks with the same key one after another, in arrival order. Two messages sent to
 * one room at once are answered in turn, so the second reply sees the first exchange and
 * the history never interleaves (SPEC §6). Per process; each turn also appends its two
 * messages in one atomic LPUSH, so even two instances never split a pair.
 */
export class KeyedSerialQueue {
  private readonly tails = new Map<string | number, Promise<unknown>>();

  run<T>(key: string | number, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/** Counts concurrent streams per user (SPEC §10: bounded concurrent streams per user). */
export class SlotCounter {
  private readonly counts = new Map<number, number>();

  constructor(private readonly limit: () => number) {}

  /** Takes a slot, or returns undefined when the user already has `limit` running. */
  acquire(userId: number): (() => void) | undefined {
    const current = this.counts.get(userId) ?? 0;
    if (current >= this.limit()) return undefined;
    this.counts.set(userId, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(userId) ?? 1) - 1;
      if (left <= 0) this.counts.delete(userId);
      else this.counts.set(userId, left);
    };
  }
}
