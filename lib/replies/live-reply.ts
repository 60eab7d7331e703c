import type { LogJson } from "@/lib/serializers";
import { isTerminal, type ReplyEvent } from "./store";

/** What a follower gets first (docs/chat-turn.md#replies-that-outlive-the-request): the question and the reply so far. */
export type Snapshot = { user: LogJson; text: string };

/**
 * A reply running in this process. It belongs to the room, not to a request: requests
 * subscribe to it and may go away; it runs to its end either way. Keeps the question and
 * the text so far, so a follower that arrives late starts from a snapshot.
 */
export class LiveReply {
  user: LogJson | undefined;
  text = "";
  terminal: ReplyEvent | undefined;
  readonly abort = new AbortController();
  private readonly listeners = new Set<(event: ReplyEvent) => void>();
  private readonly finished: Promise<ReplyEvent>;
  private finish!: (event: ReplyEvent) => void;

  constructor(
    readonly id: string,
    readonly roomId: number,
    readonly userId: number,
  ) {
    this.finished = new Promise((resolve) => (this.finish = resolve));
  }

  emit(event: ReplyEvent) {
    if (this.terminal) return;
    if (event.type === "user") this.user = event.log;
    else if (event.type === "delta") this.text += event.text;
    if (isTerminal(event)) {
      this.terminal = event;
      this.finish(event);
    }
    for (const listener of this.listeners) listener(event);
    if (this.terminal) this.listeners.clear();
  }

  /** Every event from now on, as an async iterable that ends after the terminal one. */
  events(): AsyncIterable<ReplyEvent> {
    const channel = new Channel<ReplyEvent>();
    if (this.terminal) {
      channel.push(this.terminal);
      channel.close();
    } else {
      const listener = (event: ReplyEvent) => {
        channel.push(event);
        if (isTerminal(event)) channel.close();
      };
      this.listeners.add(listener);
      channel.onReturn = () => this.listeners.delete(listener);
    }
    return channel;
  }

  /** The snapshot and the events after it, taken in one tick so nothing falls between. */
  follow(): { snapshot: Snapshot; events: AsyncIterable<ReplyEvent> } | undefined {
    if (!this.user) return undefined;
    return { snapshot: { user: this.user, text: this.text }, events: this.events() };
  }

  done(): Promise<ReplyEvent> {
    return this.finished;
  }
}

/** Replies running in this process whose question is stored, by room. */
const holder = globalThis as unknown as { __ainfoLiveReplies?: Map<number, LiveReply> };
export const liveReplies = (holder.__ainfoLiveReplies ??= new Map<number, LiveReply>());

/** A push-to-pull queue: producers push, one consumer iterates. */
export class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private closed = false;
  onReturn: (() => void) | undefined;

  push(item: T) {
    if (this.closed) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
    } else this.items.push(item);
  }

  close() {
    this.closed = true;
    if (this.waiting && this.items.length === 0) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: () => {
        this.closed = true;
        this.items.length = 0;
        this.onReturn?.();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
