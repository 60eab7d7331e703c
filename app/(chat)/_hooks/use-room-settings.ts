"use client";

import { useRef, useState } from "react";
import { updateRoomSettingsAction } from "../actions";

/** A model a chat may use (GET /models/): the default is the one a chat with no choice gets. */
export type ModelChoice = { id: string; default: boolean };

/** A chat's own settings; null = the server's default (docs/ui.md#chat-settings). */
export type RoomSettings = { model: string | null; systemPrompt: string | null };

/**
 * The chat's model and system prompt, shared by the picker by the composer and the chat
 * settings dialog. A change shows at once and is saved by a server action (the same rules as
 * PATCH /room/{id}/); a refusal puts the old value back and says why. A new chat (no room yet)
 * only remembers the choice: the room is created with it.
 */
export function useRoomSettings(roomId: number | undefined, initial: RoomSettings) {
  const [settings, setSettings] = useState(initial);
  // The save in flight: a message sent right after a model is picked waits for it, so the
  // model picked is the one that answers.
  const saving = useRef<Promise<unknown>>(Promise.resolve());

  function save(changes: Partial<RoomSettings>): Promise<{ ok: true } | { ok: false; error: string }> {
    const saved = saveNow(changes);
    saving.current = saved;
    return saved;
  }

  async function saveNow(changes: Partial<RoomSettings>): Promise<{ ok: true } | { ok: false; error: string }> {
    const before = settings;
    setSettings({ ...settings, ...changes });
    if (roomId === undefined) return { ok: true };
    const result = await updateRoomSettingsAction(roomId, {
      model: changes.model,
      system_prompt: changes.systemPrompt,
    }).catch(() => ({ ok: false as const, error: "network" }));
    if (!result.ok) {
      setSettings(before);
      return result;
    }
    setSettings({ model: result.model, systemPrompt: result.system_prompt });
    return { ok: true };
  }

  /** Resolves once every change made so far is saved (or refused). */
  const settled = () => saving.current.then(() => undefined);

  return { settings, save, settled };
}

/** The id the picker shows: the chat's model while it is still offered, else the default. */
export function shownModel(models: ModelChoice[], model: string | null) {
  const fallback = models.find((m) => m.default)?.id ?? models[0]?.id ?? "";
  return model !== null && models.some((m) => m.id === model) ? model : fallback;
}

/** Choosing the default model stores null, so the chat follows the server's default. */
export function modelToStore(models: ModelChoice[], id: string) {
  return models.find((m) => m.id === id)?.default ? null : id;
}
