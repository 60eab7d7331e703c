import { publicApiRoute } from "@/lib/api/handler";
import { assertMetricsAccess, metricsResponse } from "@/lib/metrics";

/** GET /api/metrics: Prometheus text format, behind METRICS_TOKEN (lib/metrics.ts). */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = publicApiRoute({
  async GET({ req }) {
    assertMetricsAccess(req.headers);
    return metricsResponse();
  },
});
