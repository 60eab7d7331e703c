import { ApiError } from "@/lib/errors";
import { addSecurityHeaders } from "@/lib/security-headers";

// Any other path under /api/chatbot gets DRF's JSON 404 rather than Next's HTML page.
const notFound = async () => {
  const response = ApiError.notFound().toResponse();
  addSecurityHeaders(response.headers); // next.config.ts leaves them to the API (lib/security-headers.ts)
  return response;
};

export { notFound as GET, notFound as HEAD, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE, notFound as OPTIONS };
