// Drives the official Voximplant Node client (@voximplant/apiclient-nodejs), unchanged, against
// the sandbox: all five secret methods, then an error. Reads VOXIMPLANT_CREDENTIALS (the
// credentials.json) and SANDBOX_HOST (host:port); trusts the sandbox's CA through
// NODE_EXTRA_CA_CERTS. Prints "node client: ok" and exits 0 when every check holds.
'use strict';
const assert = require('assert');
const VoximplantApiClient = require('@voximplant/apiclient-nodejs').default;

const client = new VoximplantApiClient({ host: process.env.SANDBOX_HOST });
client.onReady = async (client) => {
  try {
    const app = { applicationId: 1 };
    const added = await client.Secrets.addSecret({
      ...app,
      secretName: 'node_secret',
      secretValue: 'Node-value-1',
      description: 'added by the Node client',
    });
    assert.ok(Array.isArray(added.result), JSON.stringify(added));
    const id = added.result[0].secretId;
    assert.strictEqual(typeof id, 'number');

    const listed = await client.Secrets.getSecrets({ ...app, count: 10, offset: 0 });
    assert.strictEqual(listed.totalCount, 1, JSON.stringify(listed));
    assert.strictEqual(listed.result[0].secretName, 'node_secret');
    assert.strictEqual(listed.result[0].description, 'added by the Node client');

    const value = await client.Secrets.getSecretValue({ ...app, secretId: id });
    assert.strictEqual(value.result[0].secretValue, 'Node-value-1');

    const set = await client.Secrets.setSecretInfo({
      applicationName: 'demo-app',
      secretName: 'node_secret',
      secretValue: 'Node-value-2',
    });
    assert.strictEqual(set.result, 1, JSON.stringify(set));
    const changed = await client.Secrets.getSecretValue({ ...app, secretName: 'node_secret' });
    assert.strictEqual(changed.result[0].secretValue, 'Node-value-2');

    const deleted = await client.Secrets.delSecret({ ...app, secretId: [id] });
    assert.strictEqual(deleted.result, 1, JSON.stringify(deleted));
    const empty = await client.Secrets.getSecrets(app);
    assert.strictEqual(empty.totalCount, 0);

    const missing = await client.Secrets.getSecretValue({ ...app, secretId: id });
    assert.strictEqual(missing.error.code, 15, JSON.stringify(missing));
    console.log('node client: ok');
  } catch (e) {
    console.error('node client failed:', e && e.stack ? e.stack : e);
    process.exit(1);
  }
};
