import { apiRoute, json } from "@/lib/api/handler";
import { allowedModels } from "@/lib/llm/models";

/** GET /api/chatbot/models/ — the models a room may choose, the default marked (docs/api.md#models). */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async GET() {
    return json(allowedModels());
  },
});
