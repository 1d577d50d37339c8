import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError, kubeconfigSecrets, validateKubeconfig } from '../../actions/toolkit/index.js';

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

describe('validateKubeconfig (the kubeconfig input)', () => {
  const good = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: kind',
    '  cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: LS0tQ0EtREFUQQ==}',
    'contexts:',
    '- name: kind-ci',
    '  context: {cluster: kind, user: ci}',
    '- name: kind-prod',
    '  context: {cluster: kind, user: ci}',
    'current-context: kind-ci',
    'users:',
    '- name: ci',
    '  user: {token: tok-secret-123456}',
  ].join('\n');
  const fails = (content: string, context: string, input: string, message: RegExp) => () =>
    assert.throws(
      () => validateKubeconfig(content, context),
      (e: unknown) => e instanceof InputError && e.input === input && message.test(e.message) && !e.message.includes('tok-') && !e.message.includes('[valid'),
    );

  it('accepts a kubeconfig, with its current context or a named one', () => {
    validateKubeconfig(good, '');
    validateKubeconfig(good, 'kind-prod');
  });
  it('accepts JSON, and an empty input (the ambient KUBECONFIG is used)', () => {
    validateKubeconfig(JSON.stringify({ clusters: [{ name: 'c' }], contexts: [{ name: 'x', context: {} }], 'current-context': 'x' }), '');
    validateKubeconfig('', '');
    validateKubeconfig('  \n', 'anything');
  });
  it('refuses what is not YAML, by position only', fails('not: [valid', '', 'kubeconfig', /^Input 'kubeconfig': is not valid YAML \(bad indent at line 1, column 12\); its content is not shown, it holds credentials$/));
  it('refuses a token pasted alone', fails('tok-secret-123456', '', 'kubeconfig', /is not a kubeconfig: expected a YAML mapping .*, got a string/));
  it('refuses a list', fails('- tok-abc', '', 'kubeconfig', /got a list/));
  it('refuses a kubeconfig without clusters', fails('apiVersion: v1\nclusters: []\ncontexts: [{name: a}]\n', '', 'kubeconfig', /has no clusters/));
  it('refuses a kubeconfig without contexts', fails(good.replace(/contexts:[\s\S]*?current-context/, 'current-context'), '', 'kubeconfig', /has no contexts/));
  it('refuses unresolvable aliases', fails('clusters: *nope\n', '', 'kubeconfig', /not valid YAML/));
  it('refuses a context input the kubeconfig lacks, listing its contexts', fails(good, 'kind-dev', 'context', /'kind-dev' is not a context of the kubeconfig input \(its contexts: 'kind-ci', 'kind-prod'\)/));
  it('asks for the context input when there is no current-context', fails(good.replace('current-context: kind-ci\n', ''), '', 'context', /is required: the kubeconfig input has no current-context/));
  it('refuses a current-context that is not one of its contexts', fails(good.replace('current-context: kind-ci', 'current-context: gone'), '', 'kubeconfig', /current-context 'gone' is not one of its contexts/));
});
