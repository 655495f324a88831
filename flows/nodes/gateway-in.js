// Nodes that listen to gateways and missions: telemetry-in, event-in, gateway-status, mission-in.
const R = require('./lib/ruongso.cjs');

/** Which gateways (or missions) a node listens to: one id, or a pattern over all of them. */
function idFilter(node, config) {
  const one = R.configured(config.gateway);
  if (one && !R.ID_PATTERN.test(one)) throw new Error(`gateway id "${one}" is not a valid id`);
  const pattern = R.configured(config.gatewayPattern);
  const re = pattern ? new RegExp(pattern) : null;
  return { one, accept: (id) => (!one || id === one) && (!re || re.test(id)) };
}

/** Subscribes, parses the topic, applies the id filter, validates the payload with the contract. */
function listen(RED, node, config, filterFor, onValid) {
  node.broker = RED.nodes.getNode(config.broker);
  if (!node.broker) {
    node.status({ fill: 'red', shape: 'ring', text: 'no broker configured' });
    return;
  }
  let ids;
  try {
    ids = idFilter(node, config);
  } catch (err) {
    node.error(err.message);
    node.status({ fill: 'red', shape: 'ring', text: 'bad gateway filter' });
    return;
  }
  node.broker.register(node);
  // one warning a minute at most, with the count: a misbehaving gateway must not flood the log
  let invalid = 0;
  let lastWarn = 0;
  const rejected = (topic, r) => {
    invalid++;
    if (Date.now() - lastWarn < 60_000) return;
    lastWarn = Date.now();
    node.warn(`${topic}: ${r.reason} invalid (${invalid} rejected so far): ${r.message}`);
  };
  const off = node.broker.subscribe(filterFor(ids.one), (topic, bytes) => {
    if (bytes.length === 0) return; // a cleared retained message
    const parsed = R.parseTopic(topic);
    const id = parsed && (parsed.gatewayId || parsed.missionId);
    if (!id || !ids.accept(id)) return;
    const r = R.decodePayload(topic, bytes);
    if (!r.ok) {
      rejected(topic, r);
      return;
    }
    onValid(id, r.payload, topic);
  });
  node.on('close', () => {
    off();
    node.broker.deregister(node);
  });
}

module.exports = function (RED) {
  function TelemetryIn(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const metrics = R.configuredList(config.metrics);
    const perReading = config.output === 'reading';
    listen(
      RED,
      node,
      config,
      (gw) => (gw ? R.topics.telemetry(gw) : allOf('telemetry')),
      (gatewayId, t, topic) => {
        if (!perReading) {
          node.send({ topic, gatewayId, payload: t });
          return;
        }
        const out = t.readings
          .filter((r) => metrics.length === 0 || metrics.includes(r.metric))
          .map((r) => ({ topic: `${gatewayId}/${r.sensor}/${r.metric}`, gatewayId, bootId: t.bootId, payload: r }));
        if (out.length) node.send([out]);
      },
    );
  }
  RED.nodes.registerType('ruongso telemetry-in', TelemetryIn);

  function EventIn(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    let farmMap = {};
    try {
      farmMap = JSON.parse(R.configured(config.farmMap) || '{}');
    } catch (err) {
      node.error(`farm map is not JSON: ${err.message}`);
    }
    const farms = R.configuredList(config.farms);
    const zones = R.configuredList(config.zones);
    const kinds = R.configuredList(config.kinds);
    listen(
      RED,
      node,
      config,
      (gw) => (gw ? R.topics.event(gw) : allOf('event')),
      (gatewayId, e, topic) => {
        const farm = farmMap[gatewayId];
        if (farms.length && !farms.includes(farm)) return;
        if (zones.length && !zones.includes(e.zone)) return;
        if (kinds.length && !kinds.includes(e.kind)) return;
        node.send({ topic, gatewayId, farm, zone: e.zone, kind: e.kind, payload: e });
      },
    );
  }
  RED.nodes.registerType('ruongso event-in', EventIn);

  function GatewayStatus(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const offlineMs = R.configuredNumber(config.offlineMinutes, 30) * 60_000;
    const watch = new R.OutageWatch({
      offlineMs,
      now: () => Date.now(),
      onOffline: (gatewayId, since) =>
        node.send([
          {
            topic: gatewayId,
            gatewayId,
            outage: { since, online: false },
            payload: { gatewayId, online: false, since },
          },
          null,
        ]),
      onRecovered: (gatewayId, since) =>
        node.send([
          null,
          { topic: gatewayId, gatewayId, outage: { since, online: true }, payload: { gatewayId, online: true, since } },
        ]),
    });
    listen(
      RED,
      node,
      config,
      (gw) => (gw ? R.topics.state(gw) : allOf('state')),
      (gatewayId, s) => watch.update(gatewayId, s.online, s.online ? undefined : s.ts),
    );
    node.on('close', () => watch.stop());
  }
  RED.nodes.registerType('ruongso gateway-status', GatewayStatus);

  function MissionIn(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const statuses = R.configuredList(config.statuses);
    listen(
      RED,
      node,
      { ...config, gateway: config.mission, gatewayPattern: config.missionPattern },
      (id) => (id ? R.topics.missionStatus(id) : R.filters.allMissionStatus),
      (missionId, m, topic) => {
        if (statuses.length && !statuses.includes(m.status)) return;
        node.send({ topic, missionId, payload: m });
      },
    );
  }
  RED.nodes.registerType('ruongso mission-in', MissionIn);
};

/** `ruongso/v1/gw/+/<channel>`, taken from the contract's uplink filters. */
function allOf(channel) {
  return R.filters.gatewayUplink.find((f) => f.endsWith(`/+/${channel}`));
}
