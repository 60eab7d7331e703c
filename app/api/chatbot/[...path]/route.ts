import { ApiError } from "@/lib/errors";

// Any other path under /api/chatbot gets DRF's JSON 404 rather than Next's HTML page.
const notFound = async () => ApiError.notFound().toResponse();

export { notFound as GET, notFound as HEAD, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE, notFound as OPTIONS };
