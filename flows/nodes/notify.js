// Alert composition (Vietnamese text) and the de-duplication / rate-limit gate in front of the webhook.
const R = require('./lib/ruongso.cjs');

function parseRecipients(node, text) {
  const s = R.configured(text);
  if (!s) return {};
  try {
    const v = JSON.parse(s);
    return Object.fromEntries(
      Object.entries(v).map(([k, to]) => [k, Array.isArray(to) ? to.map(String) : [String(to)]]),
    );
  } catch (err) {
    node.error(`recipients are not JSON ({"gateway or farm or *": ["+84…"]}): ${err.message}`);
    return {};
  }
}

module.exports = function (RED) {
  function Alert(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const opts = {
      waterMinCm: R.configuredNumber(config.waterMinCm, R.DEFAULT_ALERT_OPTIONS.waterMinCm),
      waterMaxCm: R.configuredNumber(config.waterMaxCm, R.DEFAULT_ALERT_OPTIONS.waterMaxCm),
      recipients: parseRecipients(node, config.recipients),
      timeZone: R.configured(config.timeZone) || R.DEFAULT_ALERT_OPTIONS.timeZone,
    };
    node.on('input', (msg, send, done) => {
      const where = { gatewayId: msg.gatewayId, farm: msg.farm };
      let alert = null;
      if (!where.gatewayId) {
        done(new Error('msg.gatewayId missing: wire a ruongso in-node to this node'));
        return;
      }
      if (msg.outage) alert = R.alertFromOutage(where, msg.outage.since, Date.now(), msg.outage.online, opts);
      else if (msg.payload && typeof msg.payload.metric === 'string')
        alert = R.alertFromReading(where, msg.payload, opts);
      else if (msg.payload && typeof msg.payload.kind === 'string') alert = R.alertFromEvent(where, msg.payload, opts);
      if (alert) send({ topic: alert.key, gatewayId: where.gatewayId, payload: alert });
      done();
    });
  }
  RED.nodes.registerType('ruongso alert', Alert);

  function NotifyGate(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const gate = new R.NotifyGate({
      dedupWindowMs: R.configuredNumber(config.dedupSeconds, 1800) * 1000,
      rateMax: R.configuredNumber(config.rateMax, 6),
      rateWindowMs: R.configuredNumber(config.rateWindowSeconds, 3600) * 1000,
    });
    let passed = 0;
    let dropped = 0;
    node.on('input', (msg, send, done) => {
      const p = msg.payload || {};
      const key = p.key || msg.topic || JSON.stringify(p);
      // one SMS budget per gateway (its farmer), else per recipient list
      const rateKey = p.gatewayId || (Array.isArray(p.to) && p.to.join(',')) || key;
      const v = gate.check(key, rateKey, Date.now());
      if (v.pass) {
        passed++;
        send([msg, null]);
      } else {
        dropped++;
        send([null, { ...msg, dropReason: v.reason }]);
      }
      node.status({ fill: 'grey', shape: 'dot', text: `sent ${passed}, held back ${dropped}` });
      done();
    });
  }
  RED.nodes.registerType('ruongso notify-gate', NotifyGate);
};
