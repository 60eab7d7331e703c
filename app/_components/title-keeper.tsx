"use client";

import { useEffect } from "react";

/**
 * Keeps the document titled through client-side navigations. When the App Router moves to a
 * dynamic page it unmounts the old page's metadata before the new page's has arrived, and for
 * that moment the document has no <title> at all (screen readers announce nothing; axe
 * `document-title`). This puts the last title back in that gap and removes it as soon as the
 * new page's own <title> is there. The observer runs before the browser renders, so the
 * document is never seen untitled.
 */
export function TitleKeeper() {
  useEffect(() => {
    let last = document.title;
    const head = document.head;
    const observer = new MutationObserver(() => {
      const titles = head.querySelectorAll("title");
      const kept = head.querySelector("title[data-title-keeper]");
      if (titles.length === 0) {
        if (!last) return;
        const placeholder = document.createElement("title");
        placeholder.dataset.titleKeeper = "";
        placeholder.textContent = last;
        head.append(placeholder);
      } else if (kept && titles.length > 1) {
        kept.remove();
      } else if (!kept && document.title) {
        last = document.title;
      }
    });
    observer.observe(head, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, []);
  return null;
}
