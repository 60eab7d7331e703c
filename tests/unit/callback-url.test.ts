import { describe, expect, it } from "vitest";
import { requestOrigin, safeCallbackUrl } from "@/lib/auth/callback-url";

/**
 * docs/security.md: after sign-in or sign-out the browser goes only to a path of this site. Each
 * attack below, read by a browser as a Location, would leave the site; all fall back.
 */
const ORIGIN = "http://localhost:3100";

describe("safeCallbackUrl", () => {
  it.each([
    ["/\t/evil.example", "tab: browsers drop it, leaving //evil.example"],
    ["/\r/evil.example", "CR"],
    ["/\n/evil.example", "LF"],
    ["/\r\n/evil.example", "CRLF"],
    ["\t//evil.example", "leading tab"],
    ["//evil.example", "protocol-relative"],
    ["//evil.example/chat", "protocol-relative with a path"],
    ["///evil.example", "three slashes"],
    ["/\\evil.example", "slash backslash"],
    ["\\\\evil.example", "two backslashes"],
    ["\\/evil.example", "backslash slash"],
    ["/\\/evil.example", "slash backslash slash"],
    ["/.//evil.example", "dot segment collapsing to //"],
    ["/chat/..//..//evil.example", "dot-dot segments collapsing to //"],
    ["/%2e//evil.example", "encoded dot segment"],
    ["https:evil.example", "scheme without slashes"],
    ["https:/evil.example", "scheme with one slash"],
    ["http:\\\\evil.example", "scheme with backslashes"],
    ["https://evil.example/", "absolute, another host"],
    ["https://localhost:3100/chat", "our host, another scheme"],
    ["http://localhost:3101/chat", "our host, another port"],
    ["http://localhost:3100@evil.example/", "userinfo trick"],
    ["http://evil.example#@localhost:3100/", "fragment trick"],
    ["http://user:pass@localhost:3100/chat", "credentials in the URL"],
    ["javascript:alert(1)", "javascript:"],
    ["JaVaScRiPt:alert(1)", "javascript: in mixed case"],
    ["data:text/html,<script>alert(1)</script>", "data:"],
    ["vbscript:msgbox(1)", "vbscript:"],
    ["", "empty"],
    ["x".repeat(2_001), "absurdly long"],
  ])("refuses %j (%s)", (raw) => {
    expect(safeCallbackUrl(raw, ORIGIN)).toBe("/chat");
  });

  it.each([
    ["/chat", "/chat"],
    ["/chat/42?x=1#end", "/chat/42?x=1#end"],
    ["/settings", "/settings"],
    ["http://localhost:3100/chat/7", "/chat/7"],
    ["chat/7", "/chat/7"], // relative: resolved against the origin's root
    [" /chat", "/chat"], // leading space is trimmed by browsers and URL alike
    ["/%09/evil.example", "/%09/evil.example"], // still encoded: a path on our site (404)
    ["/%5Cevil.example", "/%5Cevil.example"],
    ["/ /evil.example", "/%20/evil.example"],
    ["/x%0d%0aSet-Cookie:a=b", "/x%0d%0aSet-Cookie:a=b"], // no header injection: stays encoded
  ])("keeps %j as the path %j", (raw, path) => {
    const safe = safeCallbackUrl(raw, ORIGIN);
    expect(safe).toBe(path);
    expect(new URL(safe, ORIGIN).origin).toBe(ORIGIN);
  });

  it("falls back on a missing value, and to the fallback asked for", () => {
    expect(safeCallbackUrl(undefined, ORIGIN)).toBe("/chat");
    expect(safeCallbackUrl(null, ORIGIN)).toBe("/chat");
    expect(safeCallbackUrl("//evil.example", ORIGIN, { fallback: "/sign-in" })).toBe("/sign-in");
  });

  it("accepts absolute URLs of the other origins named as ours, and returns only the path", () => {
    // next-auth builds absolute callback URLs from NEXTAUTH_URL, which may differ from the
    // origin the browser uses (`npm run dev -- -p 3100` with NEXTAUTH_URL on 3000).
    const nextauthUrl = "http://localhost:3000";
    expect(safeCallbackUrl("http://localhost:3000/sign-in", ORIGIN, { alsoOurs: [nextauthUrl] })).toBe("/sign-in");
    expect(safeCallbackUrl("http://localhost:3000/sign-in", ORIGIN)).toBe("/chat");
    expect(safeCallbackUrl("https://evil.example/", ORIGIN, { alsoOurs: [nextauthUrl, "not a url"] })).toBe("/chat");
  });

  it("never returns something a browser would read as another origin (property)", () => {
    const pieces = ["/", "\\", "\t", "\n", "\r", ".", "..", "%2e", "%2f", "%5c", "evil.example", ":", "@", "#", "?", "https:", " "];
    for (let i = 0; i < 5_000; i++) {
      let raw = "";
      const n = 1 + (i % 7);
      for (let j = 0; j < n; j++) raw += pieces[(i * 31 + j * 17 + ((i >> j) & 7)) % pieces.length];
      const safe = safeCallbackUrl(raw, ORIGIN);
      expect(safe.startsWith("/") && !safe.startsWith("//"), JSON.stringify(raw)).toBe(true);
      expect(new URL(safe, ORIGIN).origin, JSON.stringify(raw)).toBe(ORIGIN);
      expect(new URL(safe, "https://elsewhere.example:8443").origin).toBe("https://elsewhere.example:8443");
    }
  });
});

describe("requestOrigin", () => {
  it("is the Host the browser used, with the forwarded scheme", () => {
    expect(requestOrigin(new Headers({ host: "localhost:3100" }))).toBe("http://localhost:3100");
    expect(requestOrigin(new Headers({ host: "chat.example", "x-forwarded-proto": "https" }))).toBe("https://chat.example");
    expect(requestOrigin(new Headers({ host: "bad host/" }))).toMatch(/^http:\/\//);
  });
});
