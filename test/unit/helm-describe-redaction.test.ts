// Pod descriptions written to diagnostics keep env names and sources, never literal values.
// The fixture follows kubectl's describe layout (describeContainerEnvVars): literal, multi-line literal,
// secretKeyRef, configMapKeyRef, fieldRef and resourceFieldRef entries, plus `Environment: <none>`.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { HIDDEN, redactDescribeEnv } from '../../actions/toolkit/kube/describe.js';

const sample = fs.readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'kubectl', 'describe-pod-crashloop.txt'), 'utf8');
const redacted = redactDescribeEnv(sample);
const lines = redacted.split('\n');
const line = (name: string): string => lines.find((l) => l.trimStart().startsWith(`${name}:`)) ?? '';

describe('redacting env values from kubectl describe pod', () => {
  it('hides literal values, single and multi-line', () => {
    for (const secret of ['s3cr3t-from-values', 'postgres://', 'BEGIN CERTIFICATE', 'MIIBszCCAVmgAwIBAgIUfromvalues', 'debug']) {
      assert.ok(!redacted.includes(secret), `${secret} must not survive`);
    }
    assert.equal(line('DATABASE_URL'), `      DATABASE_URL:       ${HIDDEN}`);
    assert.equal(line('TLS_BUNDLE'), `      TLS_BUNDLE:         ${HIDDEN}`);
  });

  it('keeps where a value comes from: secret and config map keys, field and resource sources', () => {
    assert.equal(line('API_TOKEN'), "      API_TOKEN:          <set to the key 'token' in secret 'shop-api'>  Optional: false");
    assert.match(line('FEATURE_FLAGS'), /<set to the key 'flags' of config map 'shop-flags'>/);
    assert.equal(line('POD_NAME'), `      POD_NAME:           ${HIDDEN} (v1:metadata.name)`);
    assert.equal(line('MEMORY_LIMIT'), `      MEMORY_LIMIT:       ${HIDDEN} (limits.memory)`);
  });

  it('leaves everything outside the Environment block as kubectl printed it', () => {
    for (const l of ['      Reason:       CrashLoopBackOff', '    Restart Count:  4', '      shop-config  ConfigMap  Optional: false', '    Environment:    <none>', '    Mounts:', '      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-7xq2p (ro)']) {
      assert.ok(lines.includes(l), `kept: ${l}`);
    }
    assert.equal(lines.length, sample.split('\n').length - 2, 'only the two continuation lines are dropped');
    assert.match(redacted, /Back-off restarting failed container app/);
  });

  it('is the identity on a description without env values', () => {
    const plain = 'Name: x\nContainers:\n  app:\n    Environment:    <none>\n    Mounts:         <none>\n';
    assert.equal(redactDescribeEnv(plain), plain);
  });
});
