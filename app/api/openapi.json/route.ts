import { openApiDocument } from "@/lib/api/openapi";

/** GET /api/openapi.json — the OpenAPI 3.1 document of /api/chatbot. */
export async function GET(req: Request) {
  // Like every API answer, not cached (docs/security.md: Cache-Control from next.config.ts).
  return Response.json(openApiDocument(new URL(req.url).origin));
}
