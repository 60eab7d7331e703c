import { env } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { SlotCounter } from "./serial";

const streams = ((globalThis as unknown as { __ainfoStreams?: SlotCounter }).__ainfoStreams ??= new SlotCounter(
  () => env().MAX_CONCURRENT_STREAMS,
));

/** A slot for one reply in progress; 429 when the user already has MAX_CONCURRENT_STREAMS. */
export function acquireStreamSlot(userId: number): () => void {
  const release = streams.acquire(userId);
  if (!release) {
    throw ApiError.rateLimited(
      5,
      `Too many replies in progress (at most ${env().MAX_CONCURRENT_STREAMS} at once). Wait for one to finish.`,
    );
  }
  return release;
}
