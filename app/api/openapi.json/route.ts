import { openApiDocument } from "@/lib/api/openapi";

/** GET /api/openapi.json — the OpenAPI 3.1 document of /api/chatbot. */
export async function GET(req: Request) {
  return Response.json(openApiDocument(new URL(req.url).origin), {
    headers: { "Cache-Control": "public, max-age=300" },
  });
}
