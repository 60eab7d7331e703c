import crypto from "node:crypto";
import type { LogJson } from "@/lib/serializers";
import { env } from "@/lib/env";
import { replyStores, warnShared } from "./index";
import { liveReplies, type LiveReply, type Snapshot } from "./live-reply";
import { isTerminal, type ReplyEvent, type ReplyStore } from "./store";

/**
 * How a reply takes its place among every instance's (docs/chat-turn.md#replies-that-outlive-the-request): a slot of the user's
 * MAX_CONCURRENT_STREAMS, then the room's turn (first this process's queue, then the shared
 * one), held by leases that a heartbeat renews. A process killed mid-reply stops renewing:
 * its turn and slot free themselves within LEASE_MS.
 */
export const LEASE_MS = 10_000;
const RENEW_EVERY_MS = 3_000;
/** How often the instance running a reply checks its stop flag (each check is one request on Upstash). */
const stopPollMs = (store: ReplyStore) => (store.kind === "upstash" ? 1_000 : 250);
/** Longest wait for a room's turn before the message is given up (503). */
const MAX_TURN_WAIT_MS = 10 * 60_000;
/** How long a finished reply's events stay readable, for followers still catching up. */
const ENDED_TTL_MS = 60_000;
const eventsTtl = () => env().LLM_TIMEOUT_MS + 120_000;

// Waiters of this process are woken when a turn of their room ends here (others poll).
const wakers = new Map<number, Set<() => void>>();
function wakeRoom(roomId: number) {
  for (const wake of wakers.get(roomId) ?? []) wake();
}
function sleepOrWake(roomId: number, ms: number) {
  return new Promise<void>((resolve) => {
    let set = wakers.get(roomId);
    if (!set) wakers.set(roomId, (set = new Set()));
    const waiters = set;
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      waiters.delete(done);
      if (waiters.size === 0 && wakers.get(roomId) === waiters) wakers.delete(roomId);
      resolve();
    }
    waiters.add(done);
  });
}

export class TurnBusy extends Error {}

/** One accepted message (or regeneration): its slot, its place in the room's order, its relay. */
export class TurnTicket {
  readonly id = crypto.randomUUID();
  private slotOn: ReplyStore | undefined;
  private localTurn = false;
  private sharedTurn = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private stopWatch: NodeJS.Timeout | undefined;
  private publishing: Promise<void> = Promise.resolve();
  private pending: ReplyEvent[] = [];

  constructor(
    readonly userId: number,
    readonly roomId: number,
  ) {}

  /** One of the user's reply slots, counted across instances; false when all are taken. */
  async takeSlot(limit: number): Promise<boolean> {
    const { local, shared } = replyStores();
    let store = shared ?? local;
    let taken: boolean;
    try {
      taken = await store.takeSlot(this.userId, this.id, limit, LEASE_MS);
    } catch (error) {
      warnShared(error);
      store = local;
      taken = await local.takeSlot(this.userId, this.id, limit, LEASE_MS);
    }
    if (!taken) return false;
    this.slotOn = store;
    this.heartbeat = setInterval(() => void this.renew(), RENEW_EVERY_MS);
    this.heartbeat.unref?.();
    return true;
  }

  /** Waits for the room's turn: this process's order first, then every instance's. */
  async waitForTurn(): Promise<void> {
    const { local, shared } = replyStores();
    const deadline = Date.now() + MAX_TURN_WAIT_MS;
    const wait = async (store: ReplyStore) => {
      while (!(await store.tryTakeTurn(this.roomId, this.id, LEASE_MS))) {
        if (Date.now() > deadline) throw new TurnBusy("The room is busy with earlier messages. Try again later.");
        await sleepOrWake(this.roomId, store.pollMs);
      }
    };
    await wait(local);
    this.localTurn = true;
    if (!shared) return;
    try {
      await wait(shared);
      this.sharedTurn = true;
    } catch (error) {
      if (error instanceof TurnBusy) throw error;
      // Redis unreachable: this process's order still holds; say so once and go on.
      warnShared(error);
    }
  }

  /** Where the reply's events go for followers: the shared store, else this process's. */
  private relay(): ReplyStore {
    const { local, shared } = replyStores();
    return this.sharedTurn && shared ? shared : local;
  }

  /** Stops `reply` when a stop is requested from any instance (POST /room/{id}/stop/). */
  watchForStop(reply: LiveReply) {
    const store = this.relay();
    let checking = false;
    this.stopWatch = setInterval(() => {
      if (checking || reply.abort.signal.aborted) return;
      checking = true;
      store
        .isStopRequested(this.id)
        .then((stop) => stop && reply.abort.abort())
        .catch(warnShared)
        .finally(() => (checking = false));
    }, stopPollMs(store));
    this.stopWatch.unref?.();
  }

  /** Relays the event to followers on every instance; sends are batched, order kept. */
  publish(event: ReplyEvent) {
    this.pending.push(event);
    const ended = isTerminal(event);
    this.publishing = this.publishing.then(async () => {
      if (this.pending.length === 0) return;
      const batch = this.pending;
      this.pending = [];
      try {
        await this.relay().publish(this.id, batch, ended ? ENDED_TTL_MS : eventsTtl());
      } catch (error) {
        warnShared(error);
      }
    });
    return this.publishing;
  }

  private async renew() {
    const { local, shared } = replyStores();
    try {
      if (this.slotOn) await this.slotOn.takeSlot(this.userId, this.id, Number.MAX_SAFE_INTEGER, LEASE_MS);
      if (this.localTurn) await local.renewTurn(this.roomId, this.id, LEASE_MS);
      if (this.sharedTurn && shared) await shared.renewTurn(this.roomId, this.id, LEASE_MS);
    } catch (error) {
      warnShared(error);
    }
  }

  /** Gives back the turn and the slot (after the last event has been relayed). */
  async release() {
    clearInterval(this.heartbeat);
    clearInterval(this.stopWatch);
    await this.publishing;
    const { local, shared } = replyStores();
    const quietly = (work: Promise<unknown> | undefined) => work?.catch(warnShared);
    await Promise.all([
      shared ? quietly(shared.releaseTurn(this.roomId, this.id)) : undefined,
      quietly(this.slotOn?.releaseSlot(this.userId, this.id)),
    ]);
    await local.releaseTurn(this.roomId, this.id);
    this.localTurn = this.sharedTurn = false;
    wakeRoom(this.roomId);
  }
}

// --- following and stopping, from any instance ---

export type Following = { snapshot: Snapshot; events: AsyncIterable<ReplyEvent> };

/**
 * The reply in progress in the room, wherever it runs: from this process's memory when it
 * runs here, else from the shared store. Undefined when nothing is in progress.
 */
export async function followRoom(roomId: number): Promise<Following | undefined> {
  const here = liveReplies.get(roomId)?.follow();
  if (here) return here;
  const { local, shared } = replyStores();
  for (const store of shared ? [shared, local] : [local]) {
    try {
      const replyId = await store.currentTurn(roomId);
      if (!replyId) continue;
      const following = await followStored(store, roomId, replyId);
      if (following) return following;
    } catch (error) {
      warnShared(error);
    }
  }
  return undefined;
}

/** Follows one reply through a store's event log: snapshot, then the events after it. */
export async function followStored(store: ReplyStore, roomId: number, replyId: string): Promise<Following | undefined> {
  let cursor = "0";
  let user: LogJson | undefined;
  let text = "";
  const after: ReplyEvent[] = [];
  const deadline = Date.now() + 5_000;
  // The backlog: the question and every delta so far become the snapshot.
  for (;;) {
    const read = await store.read(replyId, cursor, user ? 0 : Math.min(store.pollMs * 4, 1_000));
    cursor = read.cursor;
    for (const event of read.events) {
      if (event.type === "user") user = event.log;
      else if (event.type === "delta" && after.length === 0) text += event.text;
      else after.push(event);
    }
    if (user && read.events.length === 0) break;
    if (!user && read.events.length === 0) {
      // The turn is taken but its question is not stored yet, or the holder died.
      if (Date.now() > deadline || (await store.currentTurn(roomId)) !== replyId) return undefined;
    }
  }
  return { snapshot: { user, text }, events: tail(store, roomId, replyId, cursor, after) };
}

async function* tail(store: ReplyStore, roomId: number, replyId: string, start: string, backlog: ReplyEvent[]) {
  let cursor = start;
  for (const event of backlog) {
    yield event;
    if (isTerminal(event)) return;
  }
  let quietSince = Date.now();
  for (;;) {
    let events: ReplyEvent[];
    try {
      const read = await store.read(replyId, cursor, 2_000);
      cursor = read.cursor;
      events = read.events;
    } catch (error) {
      warnShared(error);
      yield interrupted("Lost contact with the reply in progress. Reload to see it when it is done.");
      return;
    }
    for (const event of events) {
      yield event;
      if (isTerminal(event)) return;
    }
    if (events.length > 0) {
      quietSince = Date.now();
      continue;
    }
    if (store.kind !== "redis") await new Promise((r) => setTimeout(r, store.pollMs));
    if (Date.now() - quietSince < 2_000) continue;
    quietSince = Date.now();
    // Quiet for a while: is the reply still running? Its last events are relayed before the
    // turn is released, so one more read settles a race with the end.
    const holder = await store.currentTurn(roomId).catch(() => replyId);
    if (holder === replyId) continue;
    const last = await store.read(replyId, cursor, 0).catch(() => ({ cursor, events: [] as ReplyEvent[] }));
    for (const event of last.events) {
      yield event;
      if (isTerminal(event)) return;
    }
    yield interrupted("The reply was interrupted (its server stopped). Send the message again.");
    return;
  }
}

const interrupted = (detail: string): ReplyEvent => ({ type: "error", detail, status: 503 });

/**
 * docs/chat-turn.md#replies-that-outlive-the-request stop: the reply in progress in the room stops wherever it runs; resolves with
 * its final event (`done` with the stopped Log, or null) or undefined when nothing ran.
 */
export async function stopRoom(roomId: number): Promise<ReplyEvent | undefined> {
  const here = liveReplies.get(roomId);
  if (here) {
    here.abort.abort();
    return here.done();
  }
  const { local, shared } = replyStores();
  for (const store of shared ? [shared, local] : [local]) {
    let replyId: string | undefined;
    try {
      replyId = await store.currentTurn(roomId);
      if (!replyId) continue;
      await store.requestStop(replyId, 120_000);
    } catch (error) {
      warnShared(error);
      continue;
    }
    // The question may still be on its way to the database: follow until the end.
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      const following = await followStored(store, roomId, replyId).catch(() => undefined);
      if (following) {
        for await (const event of following.events) if (isTerminal(event)) return event;
        return undefined;
      }
      if ((await store.currentTurn(roomId).catch(() => undefined)) !== replyId) break;
    }
  }
  return undefined;
}
