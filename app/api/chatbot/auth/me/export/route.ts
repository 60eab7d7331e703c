import { apiRoute } from "@/lib/api/handler";
import { exportAccount } from "@/lib/portability/export";

/**
 * GET /api/chatbot/auth/me/export/ — every room with its logs in one JSON document, streamed
 * (docs/api.md#export-and-import).
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async GET({ user }) {
    const day = new Date().toISOString().slice(0, 10);
    return new Response(exportAccount({ userId: user.id }), {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="ainfo-chat-export-${day}.json"`,
      },
    });
  },
});
