"use client";

import type { Element, ElementContent } from "hast";
import { memo } from "react";
import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";
import { CodeBlock } from "./code-block";

const textOf = (node: ElementContent): string =>
  node.type === "text" ? node.value : node.type === "element" ? node.children.map(textOf).join("") : "";

/** `pre > code.language-x` as react-markdown hands it over: the code's text and its language tag. */
function fence(pre: Element | undefined) {
  const code = pre?.children.find((child): child is Element => child.type === "element" && child.tagName === "code");
  if (!code) return undefined;
  const classes = Array.isArray(code.properties.className) ? code.properties.className.map(String) : [];
  const language = classes.find((c) => c.startsWith("language-"))?.slice("language-".length);
  return { code: textOf(code).replace(/\n$/, ""), language };
}

/**
 * The bot's Markdown, with GFM and code blocks (language, Copy, highlighting). Raw HTML is
 * never rendered: without rehype-raw, react-markdown turns it into plain text (docs/ui.md).
 * While a reply streams, the cursor is drawn after its last line by CSS (globals.css).
 */
export const Markdown = memo(function Markdown({ text, streaming }: { text: string; streaming?: boolean }) {
  return (
    <div className={`markdown break-words break-keep${streaming ? " streaming" : ""}`}>
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        components={{
          a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer nofollow" />,
          pre: ({ node, children }) => {
            const block = fence(node);
            return block ? <CodeBlock code={block.code} language={block.language} /> : <pre>{children}</pre>;
          },
        }}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
});
