/** Entry point of the metrics folder: the gateway's metrics and the registry they are built on. */
export {
  type BreakerSnapshot,
  type BreakerState,
  GatewayMetrics,
  PROMETHEUS_CONTENT_TYPE,
  type UsageBufferStats,
} from "./gateway-metrics.ts";
export { Counter, escapeLabelValue, Gauge, Histogram, Registry } from "./registry.ts";
