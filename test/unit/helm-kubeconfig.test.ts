import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubeconfigSecrets } from '../../actions/toolkit/index.js';

describe('kubeconfigSecrets', () => {
  it('finds tokens, keys and passwords to mask one by one', () => {
    const kubeconfig = [
      'apiVersion: v1',
      'clusters:',
      '- cluster:',
      '    certificate-authority-data: LS0tQ0EtREFUQQ==',
      '    server: https://127.0.0.1:6443',
      'users:',
      '- name: ci',
      '  user:',
      '    token: "eyJhbGciOi.payload.sig"',
      '    client-key-data: LS0tS0VZLURBVEE=',
      '    client-certificate-data: LS0tQ0VSVC1EQVRB',
      '    password: hunter2hunter2',
    ].join('\n');
    assert.deepEqual(kubeconfigSecrets(kubeconfig), ['eyJhbGciOi.payload.sig', 'LS0tS0VZLURBVEE=', 'LS0tQ0VSVC1EQVRB', 'hunter2hunter2']);
  });
  it('finds nothing in a kubeconfig without credentials', () => assert.deepEqual(kubeconfigSecrets('apiVersion: v1\nkind: Config\n'), []));
});
