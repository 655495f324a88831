// Spray neighbour notices and the canal salinity bulletin for loudspeaker clusters.
const { readFileSync } = require('node:fs');
const R = require('./lib/ruongso.cjs');

/** JSON from a file (re-read on every use, so operators edit it without a redeploy) or inline. */
function loadJson(file, inline, schema, what) {
  const path = R.configured(file);
  const text = path ? readFileSync(path, 'utf8') : R.configured(inline);
  if (!text) throw new Error(`no ${what} configured: set a file or inline JSON`);
  const r = schema.safeParse(JSON.parse(text));
  if (!r.success) throw new Error(`${what} invalid: ${R.issueSummary(r.error)}`);
  return r.data;
}

module.exports = function (RED) {
  function SprayNeighbours(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const distanceM = R.configuredNumber(config.distanceM, 2000);
    const leadMs = R.configuredNumber(config.leadMinutes, 60) * 60_000;
    const tz = R.configured(config.timeZone) || 'Asia/Ho_Chi_Minh';
    node.on('input', (msg, send, done) => {
      try {
        const m = R.MissionStatus.safeParse(msg.payload);
        if (!m.success) throw new Error(`not a mission status: ${R.issueSummary(m.error)}`);
        const hood = loadJson(config.neighboursFile, config.neighbours, R.Neighbourhood, 'neighbours');
        const { farms, loudspeaker } = R.sprayNotices(m.data, hood, distanceM, leadMs, Date.now(), tz);
        // topic = the notice's key (mission, status, window): what the notify gate de-duplicates on
        const farmMsgs = farms.map((f) => ({
          topic: f.key,
          missionId: m.data.missionId,
          payload: {
            kind: 'spray_notice',
            status: f.status,
            missionId: m.data.missionId,
            farm: f.farm.id,
            farmKind: f.farm.kind,
            distanceM: f.distanceM,
            to: f.to,
            text: f.text,
          },
        }));
        const speakerMsg = loudspeaker && {
          topic: loudspeaker.key,
          missionId: m.data.missionId,
          payload: { kind: 'spray_notice', ...loudspeaker, playAt: new Date(loudspeaker.playAt).toISOString() },
        };
        node.status({
          fill: 'blue',
          shape: 'dot',
          text: `${m.data.missionId}: ${farms.length} farms, ${loudspeaker ? loudspeaker.hamlets.length : 0} hamlets`,
        });
        send([farmMsgs, speakerMsg]);
        done();
      } catch (err) {
        node.status({ fill: 'red', shape: 'dot', text: err.message.slice(0, 60) });
        done(err);
      }
    });
  }
  RED.nodes.registerType('ruongso spray-neighbours', SprayNeighbours);

  function SalinityBulletin(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const maxAgeMs = R.configuredNumber(config.maxAgeHours, 24) * 3_600_000;
    const tz = R.configured(config.timeZone) || 'Asia/Ho_Chi_Minh';
    const latest = new R.LatestSalinity();
    node.on('input', (msg, send, done) => {
      const p = msg.payload;
      if (p && p.metric === 'salinity') {
        if (p.quality !== 'bad' && typeof p.value === 'number' && msg.gatewayId) {
          latest.add({ gatewayId: msg.gatewayId, sensor: p.sensor, value: p.value, ts: p.ts });
        }
        done();
        return;
      }
      // anything else is a trigger (the scheduled inject): msg.cluster picks one cluster, else all
      try {
        const clusters = loadJson(config.clustersFile, config.clusters, R.Clusters, 'clusters');
        const wanted =
          typeof msg.cluster === 'string' && msg.cluster !== '*'
            ? clusters.filter((c) => c.id === msg.cluster)
            : clusters;
        const now = Date.now();
        const out = wanted.map((c) => ({
          topic: `bulletin/${c.id}`,
          payload: {
            kind: 'salinity_bulletin',
            cluster: c.id,
            hamlets: c.hamlets,
            playAt: new Date(now).toISOString(),
            text: R.salinityBulletin(c, latest.forGateways(c.gateways, now - maxAgeMs), now, tz),
          },
        }));
        node.status({ fill: 'blue', shape: 'dot', text: `${out.length} bulletins` });
        if (out.length) send([out]);
        done();
      } catch (err) {
        node.status({ fill: 'red', shape: 'dot', text: err.message.slice(0, 60) });
        done(err);
      }
    });
  }
  RED.nodes.registerType('ruongso salinity-bulletin', SalinityBulletin);
};
