// Config node: one MQTT connection per broker, shared by every ruongso node that uses it.
const mqtt = require('mqtt');
const { randomBytes } = require('node:crypto');
const { configured } = require('./lib/ruongso.cjs');

/** MQTT filter match: `+` one level, `#` the rest. */
function matches(filter, topic) {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

module.exports = function (RED) {
  function RuongsoBroker(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const creds = node.credentials || {};
    const env = (name) => configured(process.env[`RUONGSO_${name}`]) || configured(process.env[name]);
    node.url = configured(config.url) || env('MQTT_URL') || 'mqtt://127.0.0.1:1883';
    const fixedId = configured(config.clientId) || env('MQTT_CLIENT_ID');
    const users = new Set();
    const handlers = new Map(); // filter -> Set<fn(topic, payload)>
    const pending = new Set(); // subscribe promises not yet acknowledged
    let state = 'connecting';
    let client = null;

    const show = () => {
      const s =
        state === 'connected'
          ? { fill: 'green', shape: 'dot', text: 'connected' }
          : state === 'connecting'
            ? { fill: 'yellow', shape: 'ring', text: 'connecting' }
            : { fill: 'red', shape: 'ring', text: 'disconnected' };
      for (const u of users) u.status(s);
    };

    function connect() {
      if (client) return client;
      client = mqtt.connect(node.url, {
        // a fixed client id keeps a persistent session (events queued while Node-RED restarts)
        clientId: fixedId || `ruongso-nr-${randomBytes(6).toString('hex')}`,
        clean: !fixedId,
        username: creds.username || env('MQTT_USERNAME') || undefined,
        password: creds.password || env('MQTT_PASSWORD') || undefined,
        reconnectPeriod: 2000,
        connectTimeout: 10_000,
      });
      client.on('connect', () => {
        state = 'connected';
        show();
      });
      client.on('reconnect', () => {
        state = 'connecting';
        show();
      });
      client.on('close', () => {
        if (state !== 'connecting') {
          state = 'disconnected';
          show();
        }
      });
      client.on('error', (err) => node.warn(`MQTT ${node.url}: ${err.message}`));
      client.on('message', (topic, payload) => {
        for (const [filter, set] of handlers) {
          if (!matches(filter, topic)) continue;
          for (const fn of set) {
            try {
              fn(topic, payload);
            } catch (err) {
              node.error(`handler for ${filter}: ${err.message}`);
            }
          }
        }
      });
      return client;
    }

    /** A node that shows this connection's state. */
    node.register = (user) => {
      users.add(user);
      connect();
      show();
    };
    node.deregister = (user) => {
      users.delete(user);
    };

    /** Subscribes `fn` to `filter` (QoS 1); returns the function that undoes it. */
    node.subscribe = (filter, fn) => {
      const c = connect();
      let set = handlers.get(filter);
      if (!set) {
        set = new Set();
        handlers.set(filter, set);
        const p = c
          .subscribeAsync(filter, { qos: 1 })
          .catch((err) => node.error(`subscribe ${filter}: ${err.message}`))
          .finally(() => pending.delete(p));
        pending.add(p);
      }
      set.add(fn);
      return () => {
        set.delete(fn);
        if (set.size === 0 && handlers.get(filter) === set) {
          handlers.delete(filter);
          if (client && client.connected) client.unsubscribe(filter);
        }
      };
    };

    node.publish = (topic, payload, opts) =>
      connect().publishAsync(topic, JSON.stringify(payload), { qos: 1, ...opts });

    /** The retained message on `topic`, or null when none arrives within `timeoutMs`. */
    node.fetchRetained = (topic, timeoutMs) =>
      new Promise((resolve) => {
        let off = null;
        const timer = setTimeout(() => {
          if (off) off();
          resolve(null);
        }, timeoutMs);
        const shared = handlers.has(topic);
        off = node.subscribe(topic, (t, payload) => {
          clearTimeout(timer);
          off();
          resolve(payload);
        });
        // already subscribed: subscribe again, the broker resends the retained message
        if (shared) connect().subscribe(topic, { qos: 1 });
      });

    /** Resolves once connected and every subscription is acknowledged (tests and flows wait on it). */
    node.ready = async () => {
      const c = connect();
      if (!c.connected) await new Promise((resolve) => c.once('connect', resolve));
      while (pending.size) await Promise.all([...pending]);
    };

    node.on('close', (done) => {
      handlers.clear();
      users.clear();
      if (!client) return done();
      client.endAsync().then(
        () => done(),
        () => done(),
      );
    });
  }

  RED.nodes.registerType('ruongso-broker', RuongsoBroker, {
    credentials: { username: { type: 'text' }, password: { type: 'password' } },
  });
};
module.exports.matches = matches;
