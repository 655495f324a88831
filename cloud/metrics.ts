import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The cloud's one Prometheus registry: the app serves it at /metrics
 * (`metricsRegistry.contentType`, `await metricsRegistry.metrics()`).
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'ruongso_process_' });

const reg = [metricsRegistry];

export const mqttMessagesTotal = new Counter({
  name: 'ruongso_mqtt_messages_total',
  help: 'MQTT messages received by the ingest, by channel (state, telemetry, event, config/ack, cmd/ack, drone, unknown)',
  labelNames: ['channel'] as const,
  registers: reg,
});

export const readingsIngestedTotal = new Counter({
  name: 'ruongso_readings_ingested_total',
  help: 'readings durably written to the telemetry store (spooled readings count when replayed)',
  registers: reg,
});

export const readingsBadQualityTotal = new Counter({
  name: 'ruongso_readings_bad_quality_total',
  help: "readings with quality 'bad' (stored with their fault, left out of aggregates)",
  registers: reg,
});

export const ingestRejectedTotal = new Counter({
  name: 'ruongso_ingest_rejected_total',
  help: 'MQTT messages rejected by the ingest, by reason (topic, json, schema, sink)',
  labelNames: ['reason'] as const,
  registers: reg,
});

export const storePointsRejectedTotal = new Counter({
  name: 'ruongso_store_points_rejected_total',
  help: 'points the telemetry store refused (e.g. InfluxDB 1.x "partial write"); never retried',
  registers: reg,
});

export const storeWriteSeconds = new Histogram({
  name: 'ruongso_store_write_seconds',
  help: 'latency of one telemetry store write (batch), including retries',
  labelNames: ['store'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: reg,
});

export const storeWriteErrorsTotal = new Counter({
  name: 'ruongso_store_write_errors_total',
  help: 'telemetry store writes that failed after their retries (the batch went to the disk spool)',
  labelNames: ['store'] as const,
  registers: reg,
});

export const spoolBytes = new Gauge({
  name: 'ruongso_spool_bytes',
  help: 'bytes in the telemetry disk spool',
  registers: reg,
});
export const spoolBatches = new Gauge({
  name: 'ruongso_spool_batches',
  help: 'batches waiting in the telemetry disk spool',
  registers: reg,
});
export const spoolFull = new Gauge({
  name: 'ruongso_spool_full',
  help: '1 while the disk spool is full: the ingest stops acknowledging and the broker holds the messages',
  registers: reg,
});

export const seqGapsTotal = new Counter({
  name: 'ruongso_telemetry_seq_gaps_total',
  help: 'telemetry messages missing by seq within a gateway boot (opened gaps; a late arrival closes one)',
  registers: reg,
});

export const seqGapsOpen = new Gauge({
  name: 'ruongso_telemetry_seq_missing',
  help: 'telemetry messages currently missing by seq, all gateways',
  registers: reg,
});

export const seqDuplicatesTotal = new Counter({
  name: 'ruongso_telemetry_seq_duplicates_total',
  help: 'telemetry messages received again (same gateway, bootId and seq); stored idempotently',
  registers: reg,
});
