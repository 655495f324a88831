// Nodes that talk to gateways: set-threshold (retained config) and valve-command (cmd).
const R = require('./lib/ruongso.cjs');

function gatewayOf(msg, config) {
  const gw = (typeof msg.gatewayId === 'string' && msg.gatewayId) || R.configured(config.gateway);
  if (!gw) throw new Error("no gateway: set msg.gatewayId or the node's gateway");
  if (!R.ID_PATTERN.test(gw)) throw new Error(`gateway id "${gw}" is not a valid id`);
  return gw;
}

function attachBroker(RED, node, config) {
  node.broker = RED.nodes.getNode(config.broker);
  if (!node.broker) {
    node.status({ fill: 'red', shape: 'ring', text: 'no broker configured' });
    return false;
  }
  node.broker.register(node);
  node.on('close', () => node.broker.deregister(node));
  return true;
}

/** Shows a rejection for a few seconds, then the connection state again. */
function flash(node, status) {
  node.status(status);
  clearTimeout(node.flashTimer);
  node.flashTimer = setTimeout(() => node.broker.register(node), 5000);
}

module.exports = function (RED) {
  function SetThreshold(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    if (!attachBroker(RED, node, config)) return;
    const fetchMs = R.configuredNumber(config.fetchTimeoutMs, 1500);
    // one change at a time, so two quick edits never both become version N+1
    let queue = Promise.resolve();
    node.on('input', (msg, send, done) => {
      queue = queue
        .then(() => apply(msg, send))
        .then(
          () => done(),
          (err) => {
            flash(node, { fill: 'red', shape: 'dot', text: err.message.slice(0, 60) });
            done(err);
          },
        );
    });
    async function apply(msg, send) {
      const gw = gatewayOf(msg, config);
      const topic = R.topics.config(gw);
      const bytes = await node.broker.fetchRetained(topic, fetchMs);
      let current = null;
      if (bytes && bytes.length) {
        const r = R.decodePayload(topic, bytes);
        if (r.ok) current = r.payload;
        else node.warn(`current config of ${gw} is invalid (${r.message}); building from the message alone`);
      }
      const built = R.nextGatewayConfig(current, msg.payload, Date.now(), msg.by || R.configured(config.by));
      if (!built.ok) throw new Error(built.message);
      await node.broker.publish(topic, built.value, { retain: true });
      flash(node, { fill: 'green', shape: 'dot', text: `v${built.value.version} → ${gw}` });
      send({ ...msg, topic, gatewayId: gw, payload: built.value });
    }
    node.on('close', () => clearTimeout(node.flashTimer));
  }
  RED.nodes.registerType('ruongso set-threshold', SetThreshold);

  function ValveCommand(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    if (!attachBroker(RED, node, config)) return;
    const ttlMs = R.configuredNumber(config.ttlSeconds, 120) * 1000;
    node.on('input', async (msg, send, done) => {
      try {
        const gw = gatewayOf(msg, config);
        const built = R.buildCommand(msg.payload, Date.now(), ttlMs, msg.by || R.configured(config.by));
        if (!built.ok) throw new Error(built.message);
        const topic = R.topics.cmd(gw);
        await node.broker.publish(topic, built.value, { retain: false });
        flash(node, { fill: 'green', shape: 'dot', text: `${built.value.kind} → ${gw}` });
        send({ ...msg, topic, gatewayId: gw, payload: built.value });
        done();
      } catch (err) {
        flash(node, { fill: 'red', shape: 'dot', text: err.message.slice(0, 60) });
        done(err);
      }
    });
    node.on('close', () => clearTimeout(node.flashTimer));
  }
  RED.nodes.registerType('ruongso valve-command', ValveCommand);
};
