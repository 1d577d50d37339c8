import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { classifyHelmError } from '../../actions/helm-deploy/classify.js';
import { ROOT } from '../support/run-action.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'helm');
const stderr = (major: number, step: string): string => fs.readFileSync(path.join(FIXTURES, `helm${major}`, `${step}.stderr`), 'utf8');

describe('classifyHelmError', () => {
  for (const major of [3, 4]) {
    const table: [string, string][] = [
      ['06-upgrade-unreachable', 'transient'],
      ['06-kubectl-unreachable', 'transient'],
      ['05-upgrade-render-error', 'permanent'],
      ['05-template-render-error', 'permanent'],
      ['05-upgrade-invalid-object', 'permanent'],
      ['04-upgrade-while-pending', 'conflict'],
      ['02-upgrade-crash', 'rolled-back'],
      ['07-install-crash-first', 'rolled-back'],
    ];
    for (const [step, kind] of table) {
      it(`Helm ${major} ${step} is ${kind}`, () => assert.equal(classifyHelmError(stderr(major, step)).kind, kind));
    }
  }

  const messages: [string, string][] = [
    ['Error: UPGRADE FAILED: Get "https://10.0.0.1/api": net/http: TLS handshake timeout', 'transient'],
    ['Error: read tcp 10.1.0.4:443: read: connection reset by peer', 'transient'],
    ['Error: dial tcp 10.0.0.1:443: i/o timeout', 'transient'],
    ['Error: the server is currently unable to handle the request (get deployments.apps)', 'transient'],
    ['Error: UPGRADE FAILED: etcdserver: request timed out', 'transient'],
    ['Error: UPGRADE FAILED: etcdserver: leader changed', 'transient'],
    ['Error: the server has received too many requests and has asked us to try again later (429)', 'transient'],
    ['Error: an error on the server ("Internal error occurred") has prevented the request from succeeding', 'transient'],
    ['Error: 503 Service Unavailable', 'transient'],
    ['Error: UPGRADE FAILED: cannot patch "web" with kind Deployment: Deployment.apps "web" is invalid: spec.selector: Invalid value: field is immutable', 'permanent'],
    ['Error: UPGRADE FAILED: deployments.apps "web" is forbidden: User "ci" cannot patch resource', 'permanent'],
    ['Error: UPGRADE FAILED: context deadline exceeded', 'permanent'],
    ['Error: UPGRADE FAILED: release web failed, and has been rolled back due to atomic being set: Get "x": dial tcp: connection refused', 'rolled-back'],
    ['something nobody has seen before', 'permanent'],
  ];
  for (const [message, kind] of messages) {
    it(`'${message.slice(0, 60)}…' is ${kind}`, () => assert.equal(classifyHelmError(message).kind, kind));
  }
});
