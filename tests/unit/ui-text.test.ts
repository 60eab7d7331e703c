import { describe, expect, test } from "vitest";
import { DEFAULT_ROOM_TITLE } from "@/db/schema";
import { formatDateTime, safeTimeZone } from "@/lib/i18n/format";
import { MESSAGES, STORED_DEFAULT_ROOM_TITLE, displayRoomTitle, translate } from "@/lib/i18n/messages";

const t = (locale: "ko" | "en") => (key: "defaultRoomTitle") => translate(MESSAGES[locale], key);

describe("the default room title", () => {
  test("is the one the schema stores (docs/data-model.md#migrations)", () => {
    expect(STORED_DEFAULT_ROOM_TITLE).toBe(DEFAULT_ROOM_TITLE);
  });

  test("is shown in the user's language; any other title as it is", () => {
    expect(displayRoomTitle(DEFAULT_ROOM_TITLE, t("en"))).toBe("New chat");
    expect(displayRoomTitle(DEFAULT_ROOM_TITLE, t("ko"))).toBe("새 채팅");
    expect(displayRoomTitle("제주도 여행", t("en"))).toBe("제주도 여행");
  });
});

describe("formatDateTime", () => {
  const instant = "2026-11-25T15:30:00Z";

  test("formats in the given time zone, not the server's", () => {
    expect(formatDateTime(instant, "en", "Asia/Seoul")).toMatch(/Nov 26, 2026.*00:30/);
    expect(formatDateTime(instant, "en", "America/New_York")).toMatch(/Nov 25, 2026.*10:30/);
  });

  test("formats in the user's language", () => {
    expect(formatDateTime(instant, "ko", "Asia/Seoul")).toBe("2026. 11. 26. 00:30");
  });

  test("an unknown or missing zone from the cookie falls back to UTC", () => {
    expect(safeTimeZone("Mars/Olympus_Mons")).toBe("UTC");
    expect(safeTimeZone(undefined)).toBe("UTC");
    expect(safeTimeZone("Asia/Seoul")).toBe("Asia/Seoul");
  });
});

describe("messages", () => {
  test("no UI string shows Markdown backticks literally", () => {
    for (const locale of ["en", "ko"] as const) {
      expect(Object.entries(MESSAGES[locale]).filter(([, text]) => text.includes("`"))).toEqual([]);
    }
  });
});
