"use client";

import { useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";

export type MenuItem = { label: string; icon: React.ReactNode; onSelect: () => void; danger?: boolean };

const MENU_WIDTH = 184; // "Export Markdown" and "Markdown 내보내기" on one line
const GAP = 4;

/**
 * A menu button (WAI-ARIA menu button pattern). The menu is portalled to <body> with fixed
 * coordinates, so no later sidebar row and no scrolling container can cover or clip it.
 * Keys: Enter, Space or ↓ open on the first item, ↑ on the last; in the menu ↑/↓ move
 * (wrapping), Home/End jump, Escape closes and returns focus to the button, Tab closes.
 */
export function MenuButton({
  label,
  items,
  buttonRef,
  className,
  children,
}: {
  label: string;
  items: MenuItem[];
  buttonRef?: React.RefObject<HTMLButtonElement | null>;
  className?: string;
  children: React.ReactNode;
}) {
  const ownButton = useRef<HTMLButtonElement>(null);
  const button = buttonRef ?? ownButton;
  const menu = useRef<HTMLDivElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const menuId = useId();
  // `focusIndex` is the item to focus once the menu is open (-1: the last one).
  const [open, setOpen] = useState<{ focusIndex: number } | undefined>();
  const [position, setPosition] = useState<{ top: number; left: number }>();

  const close = (returnFocus: boolean) => {
    setOpen(undefined);
    setPosition(undefined);
    if (returnFocus) button.current?.focus();
  };

  // Place the menu under the button, right-aligned; above it when there is no room below.
  useLayoutEffect(() => {
    if (!open || !button.current || !menu.current) return;
    const anchor = button.current.getBoundingClientRect();
    const height = menu.current.offsetHeight;
    const below = anchor.bottom + GAP;
    const top = below + height > window.innerHeight - GAP ? Math.max(GAP, anchor.top - GAP - height) : below;
    const left = Math.min(Math.max(GAP, anchor.right - MENU_WIDTH), window.innerWidth - MENU_WIDTH - GAP);
    setPosition({ top, left });
  }, [open, button]);

  useEffect(() => {
    if (!open || !position) return;
    const index = open.focusIndex < 0 ? items.length - 1 : open.focusIndex;
    itemRefs.current[index]?.focus();
  }, [open, position, items.length]);

  // Close on a press outside, and when anything scrolls or the window resizes (the fixed
  // menu would otherwise float away from its button).
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) close(false);
    };
    // Only a scroll that moves the button counts (not, say, the chat scrolling as a reply streams).
    const onScroll = (event: Event) => {
      const target = event.target as Node;
      if (button.current && (target === document || target.contains(button.current))) close(false);
    };
    const onResize = () => close(false);
    document.addEventListener("pointerdown", onPointerDown);
    window.addEventListener("scroll", onScroll, true);
    window.addEventListener("resize", onResize);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      window.removeEventListener("scroll", onScroll, true);
      window.removeEventListener("resize", onResize);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  function onMenuKeyDown(event: React.KeyboardEvent) {
    const current = itemRefs.current.findIndex((item) => item === document.activeElement);
    const focus = (index: number) => itemRefs.current[(index + items.length) % items.length]?.focus();
    switch (event.key) {
      case "ArrowDown":
        focus(current + 1);
        break;
      case "ArrowUp":
        focus(current - 1);
        break;
      case "Home":
      case "PageUp":
        focus(0);
        break;
      case "End":
      case "PageDown":
        focus(items.length - 1);
        break;
      case "Escape":
        close(true);
        break;
      case "Tab":
        // Focus goes back to the button, and the Tab itself then moves on from there.
        close(true);
        return;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  return (
    <>
      <button
        ref={button}
        type="button"
        onClick={() => (open ? close(false) : setOpen({ focusIndex: 0 }))}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown" || event.key === "ArrowUp") {
            event.preventDefault();
            setOpen({ focusIndex: event.key === "ArrowDown" ? 0 : -1 });
          }
        }}
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open ? true : false}
        aria-controls={open ? menuId : undefined}
        className={className}
      >
        {children}
      </button>
      {open &&
        createPortal(
          <div
            ref={menu}
            id={menuId}
            role="menu"
            aria-label={label}
            onKeyDown={onMenuKeyDown}
            style={{ top: position?.top ?? 0, left: position?.left ?? 0, width: MENU_WIDTH, visibility: position ? "visible" : "hidden" }}
            className="fixed z-50 rounded-lg border border-zinc-200 bg-white p-1 text-zinc-900 shadow-lg dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
          >
            {items.map((item, index) => (
              <button
                key={item.label}
                ref={(el) => {
                  itemRefs.current[index] = el;
                }}
                type="button"
                role="menuitem"
                tabIndex={-1}
                onClick={() => {
                  close(false);
                  item.onSelect();
                }}
                className={`flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left text-sm focus-visible:outline-none ${
                  item.danger
                    ? "text-red-600 hover:bg-red-50 focus:bg-red-50 dark:text-red-400 dark:hover:bg-red-950 dark:focus:bg-red-950"
                    : "hover:bg-zinc-100 focus:bg-zinc-100 dark:hover:bg-zinc-800 dark:focus:bg-zinc-800"
                }`}
              >
                {item.icon}
                {item.label}
              </button>
            ))}
          </div>,
          document.body,
        )}
    </>
  );
}
