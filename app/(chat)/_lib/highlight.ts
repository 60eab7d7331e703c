import hljs from "highlight.js/lib/core";
import type { LanguageFn } from "highlight.js";

/**
 * Syntax highlighting with languages loaded on first use: only highlight.js's small core is
 * in the page's bundle, and each language is its own chunk, fetched when a code block in it
 * first appears (the whole `common` set cost every page ~40 grammars, and dev mode compiled
 * all 190). Server rendering and hydration show plain code; the client highlights after.
 */
type Loader = () => Promise<{ default: LanguageFn }>;
const LOADERS: Record<string, Loader> = {
  bash: () => import("highlight.js/lib/languages/bash"),
  c: () => import("highlight.js/lib/languages/c"),
  cpp: () => import("highlight.js/lib/languages/cpp"),
  csharp: () => import("highlight.js/lib/languages/csharp"),
  css: () => import("highlight.js/lib/languages/css"),
  diff: () => import("highlight.js/lib/languages/diff"),
  dockerfile: () => import("highlight.js/lib/languages/dockerfile"),
  go: () => import("highlight.js/lib/languages/go"),
  graphql: () => import("highlight.js/lib/languages/graphql"),
  ini: () => import("highlight.js/lib/languages/ini"),
  java: () => import("highlight.js/lib/languages/java"),
  javascript: () => import("highlight.js/lib/languages/javascript"),
  json: () => import("highlight.js/lib/languages/json"),
  kotlin: () => import("highlight.js/lib/languages/kotlin"),
  lua: () => import("highlight.js/lib/languages/lua"),
  makefile: () => import("highlight.js/lib/languages/makefile"),
  markdown: () => import("highlight.js/lib/languages/markdown"),
  php: () => import("highlight.js/lib/languages/php"),
  powershell: () => import("highlight.js/lib/languages/powershell"),
  python: () => import("highlight.js/lib/languages/python"),
  r: () => import("highlight.js/lib/languages/r"),
  ruby: () => import("highlight.js/lib/languages/ruby"),
  rust: () => import("highlight.js/lib/languages/rust"),
  scss: () => import("highlight.js/lib/languages/scss"),
  shell: () => import("highlight.js/lib/languages/shell"),
  sql: () => import("highlight.js/lib/languages/sql"),
  swift: () => import("highlight.js/lib/languages/swift"),
  typescript: () => import("highlight.js/lib/languages/typescript"),
  xml: () => import("highlight.js/lib/languages/xml"),
  yaml: () => import("highlight.js/lib/languages/yaml"),
};
const ALIASES: Record<string, string> = {
  js: "javascript", jsx: "javascript", mjs: "javascript", cjs: "javascript", node: "javascript",
  ts: "typescript", tsx: "typescript", mts: "typescript",
  py: "python", python3: "python", sh: "bash", zsh: "bash", console: "shell", shellsession: "shell",
  html: "xml", svg: "xml", vue: "xml", md: "markdown", yml: "yaml", toml: "ini",
  rs: "rust", "c++": "cpp", cc: "cpp", h: "c", cs: "csharp", "c#": "csharp", rb: "ruby",
  kt: "kotlin", golang: "go", ps1: "powershell", ps: "powershell", docker: "dockerfile", make: "makefile",
  postgres: "sql", postgresql: "sql", psql: "sql", mysql: "sql", sqlite: "sql", gql: "graphql", patch: "diff",
};

const loading = new Map<string, Promise<boolean>>();

/** Our name for a fence's language tag, if we can highlight it. */
export function highlightable(tag: string | undefined) {
  const name = tag ? (ALIASES[tag.toLowerCase()] ?? tag.toLowerCase()) : undefined;
  return name && name in LOADERS ? name : undefined;
}

/** Highlighted HTML when the language is loaded already, else undefined (then call loadLanguage). */
export function highlightNow(code: string, language: string) {
  if (!hljs.getLanguage(language)) return undefined;
  // highlight.js escapes the code: its output is only its own <span class="hljs-…"> tags
  // around escaped text, so a message can still never inject HTML (docs/ui.md).
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}

export function loadLanguage(language: string): Promise<boolean> {
  let promise = loading.get(language);
  if (!promise) {
    promise = LOADERS[language]!()
      .then((module) => {
        hljs.registerLanguage(language, module.default);
        return true;
      })
      .catch(() => {
        loading.delete(language); // a failed chunk load (offline): try again next time
        return false;
      });
    loading.set(language, promise);
  }
  return promise;
}
