/**
 * The first message of a new chat, handed from /chat to /chat/{id}: the room is created,
 * the browser navigates to it, and the room's view sends the message on arrival. One slot,
 * taken once (so a remount never sends twice).
 */
let pending: { roomId: number; message: string } | undefined;

export function setPendingMessage(roomId: number, message: string) {
  pending = { roomId, message };
}

export function takePendingMessage(roomId: number): string | undefined {
  if (pending?.roomId !== roomId) return undefined;
  const { message } = pending;
  pending = undefined;
  return message;
}

/** Whether a first message is on its way to this room (its view starts busy, not idle). */
export function hasPendingMessage(roomId: number) {
  return pending?.roomId === roomId;
}
